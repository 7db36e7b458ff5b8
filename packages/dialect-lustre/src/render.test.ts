import { Job } from '@rosetta/core';
import { jobClass, renderCommand, stepId, stepOf, transitions, verbOf, volumeStatus } from './render';
import { naiveIso, awareIso, pythonJson } from './wire-json';
import { buildSchema, listMeta, pageUri } from './tastypie';

const job = (over: Partial<Job>): Job =>
  ({
    id: '00000000-0000-4000-8000-000000000001',
    seq: 7,
    createdAt: new Date('2026-12-01T10:00:00Z'),
    updatedAt: new Date('2026-12-01T10:00:01Z'),
    kind: 'filesystem.stop',
    state: 'queued',
    origin: 'lustre',
    input: { filesystemId: 'x', name: 'testfs' },
    result: {},
    affected: [],
    steps: [],
    errorCode: null,
    errorMessage: null,
    attempts: 0,
    cancelRequested: false,
    startedAt: null,
    finishedAt: null,
    ...over,
  }) as Job;

describe('wire json', () => {
  it.each([
    [{ b: 1, a: [true, null, 'x'] }, '{"a": [true, null, "x"], "b": 1}'],
    [{ z: { y: 1, x: 2 } }, '{"z": {"x": 2, "y": 1}}'],
    [[], '[]'],
    [{ s: 'a,b:"c"\\', n: -1.5, u: undefined }, '{"n": -1.5, "s": "a,b:\\"c\\"\\\\"}'],
    [{ '10': 1, '2': { b: 1, a: 2 }, x: [] }, '{"10": 1, "2": {"a": 2, "b": 1}, "x": []}'],
  ])('serialises %j as Python would', (value, text) => expect(pythonJson(value)).toBe(text));

  it.each([
    [new Date('2016-03-31T19:00:17.865Z'), '2016-03-31T19:00:17.865000', '2016-03-31T19:00:17.865000+00:00'],
    [new Date('2016-03-31T19:00:17Z'), '2016-03-31T19:00:17', '2016-03-31T19:00:17+00:00'],
  ])('prints %s naive and aware', (date, naive, aware) => {
    expect(naiveIso(date)).toBe(naive);
    expect(awareIso(date)).toBe(aware);
  });
});

describe('render', () => {
  it.each([
    ['filesystem', ['available', 'unavailable', 'stopped'], 'Stop'],
    ['filesystem', ['available', 'unavailable'], null],
    ['filesystem', ['stopped', 'removed'], 'Remove'],
    ['lnet', ['lnet_unloaded', 'lnet_down', 'lnet_up'], 'Start LNet'],
    ['lnet', ['unconfigured', 'lnet_unloaded'], null],
    ['target', ['mounted', 'unmounted', 'removed'], 'Remove'],
    ['host', ['managed', 'removed'], 'Remove'],
  ] as const)('names the %s route %j by its last hop', (object, route, verb) => expect(verbOf(object, [...route])).toBe(verb));

  it('hides verb-less transitions', () => {
    const t = transitions('filesystem', [
      { state: 'unavailable', route: ['available', 'unavailable'] },
      { state: 'stopped', route: ['available', 'unavailable', 'stopped'] },
    ]);
    expect(t.map((x) => [x.state, x.verb])).toEqual([['stopped', 'Stop']]);
  });

  it.each([
    [{ kind: 'filesystem.start', input: { from: 'stopped' } }, 'StartStoppedFilesystemJob'],
    [{ kind: 'filesystem.start', input: { from: 'unavailable' } }, 'StartUnavailableFilesystemJob'],
    [{ kind: 'host.set_lnet_state', input: { state: 'lnet_down', from: 'lnet_up' } }, 'StopLNetJob'],
    [{ kind: 'host.set_lnet_state', input: { state: 'lnet_down', from: 'lnet_unloaded' } }, 'LoadLNetJob'],
    [{ kind: 'vm.power_on', input: {} }, 'VmPowerOnJob'],
  ] as const)('names %j as %s', (over, name) => expect(jobClass(job(over as Partial<Job>))).toBe(name));

  it('renders a command from its job', () => {
    expect(renderCommand('/lustre', job({ state: 'succeeded', steps: [{ index: 0, name: 'unmount targets', state: 'succeeded', seconds: 0, startedAt: null, finishedAt: null, error: null }] }))).toEqual({
      cancelled: false,
      complete: true,
      created_at: '2026-12-01T10:00:00',
      errored: false,
      id: 7,
      jobs: ['/lustre/api/job/7/'],
      logs: 'unmount targets',
      message: 'Stop file system testfs',
      resource_uri: '/lustre/api/command/7/',
    });
  });

  it('packs step ids and unpacks them', () => {
    expect(stepId(job({ seq: 12 }), 3)).toBe(1203);
    expect(stepOf(1203)).toEqual({ jobSeq: 12, index: 3 });
  });

  const node = (primary: boolean, use: boolean) => ({ primary, use });
  it.each([
    ['no node', [], 'unconfigured'],
    ['one primary node', [node(true, true)], 'configured-noha'],
    ['one node, not primary', [node(false, false)], 'configured-noha'],
    ['a primary and a used failover node', [node(true, true), node(false, true)], 'configured-ha'],
    ['a primary and an unused node', [node(true, true), node(false, false)], 'configured-noha'],
    ['two nodes, neither primary', [node(false, true), node(false, true)], 'unconfigured'],
  ])('gives %s the status %s', (_what, nodes, status) => expect(volumeStatus(nodes)).toBe(status));
});

describe('tastypie helpers', () => {
  it('keeps other parameters, repeats included, in next/previous', () => {
    const params = new URLSearchParams('id__in=1&id__in=2&limit=5&format=json&offset=5');
    expect(pageUri('/api/target/', params, 5, 10)).toBe('/api/target/?id__in=1&id__in=2&format=json&limit=5&offset=10');
    expect(listMeta('/api/target/', params, 5, 5, 12)).toEqual({
      limit: 5,
      next: '/api/target/?id__in=1&id__in=2&format=json&limit=5&offset=10',
      offset: 5,
      previous: '/api/target/?id__in=1&id__in=2&format=json&limit=5&offset=0',
      total_count: 12,
    });
    expect(listMeta('/api/target/', params, 5, 10, 12).next).toBeNull();
  });

  it('leaves empty filtering and ordering out of a schema', () => {
    const schema = buildSchema({ name: 'x', fields: { id: { type: 'integer' } }, listAllowed: ['get'], detailAllowed: [] });
    expect(Object.keys(schema)).toEqual(['allowed_detail_http_methods', 'allowed_list_http_methods', 'default_format', 'default_limit', 'fields']);
    expect((schema.fields as Record<string, { help_text: string }>).id.help_text).toBe('Integer data. Ex: 2673');
  });
});
