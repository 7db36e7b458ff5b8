import { createHash } from 'crypto';
import { Float32, GoMap, goEncode, goEncodeIndent, goFloat32, goString } from './go-json';
import { brickFootprintKib } from '@rosetta/core';
import { formatIssues, decodeGo } from './parse';
import { goDuration, qsh } from './auth';
import { coreId, hexId } from './ids';

describe('Go encoding/json', () => {
  test.each([
    ['a<b&c>d', '"a\\u003cb\\u0026c\\u003ed"'],
    ['line\u2028sep\u2029', '"line\\u2028sep\\u2029"'],
    ['tab\there\nnl"q"\\', '"tab\\there\\nnl\\"q\\"\\\\"'],
    ['\u0001\u001f', '"\\u0001\\u001f"'],
    ['héllo ✓', '"héllo ✓"'],
    ['lone \ud800 surrogate', '"lone \ufffd surrogate"'],
  ])('escapes %j', (input, expected) => expect(goString(input)).toBe(expected));

  test.each([
    [1, '1'],
    [1.5, '1.5'],
    [1.2, '1.2'],
    [Math.fround(1.2), '1.2'],
    [100, '100'],
    [0.1, '0.1'],
  ])('prints float32 %p shortest', (n, expected) => expect(goFloat32(n)).toBe(expected));

  test('structs keep declaration order, maps sort keys, omitempty drops undefined, trailing newline', () => {
    const value = { z: 1, a: new GoMap({ b: '2', a: '1', ä: 'x', B: 'y' }), gone: undefined, empty: {}, list: [], f: new Float32(1.5) };
    expect(goEncode(value)).toBe('{"z":1,"a":{"B":"y","a":"1","b":"2","ä":"x"},"empty":{},"list":[],"f":1.5}\n');
  });

  test('indents four spaces like json.MarshalIndent', () => {
    expect(goEncodeIndent({ a: [1, 2], b: {}, c: [] })).toBe('{\n    "a": [\n        1,\n        2\n    ],\n    "b": {},\n    "c": []\n}\n');
  });
});

describe('Heketi helpers', () => {
  test('ids are UUIDs without dashes and back', () => {
    const uuid = '0ca19de6-01aa-4e66-a666-c6b6bb770b7e';
    expect(hexId(uuid)).toBe('0ca19de601aa4e66a666c6b6bb770b7e');
    expect(coreId(hexId(uuid))).toBe(uuid);
    expect(coreId('0CA19DE601AA4E66A666C6B6BB770B7E')).toBeUndefined();
    expect(coreId('abc')).toBeUndefined();
  });

  test('ozzo error format: sorted keys, nested parentheses, final dot', () => {
    const issues = new Map<string, string | Map<string, string>>([
      ['zone', 'cannot be blank'],
      ['hostnames', new Map([['storage', 'cannot be blank'], ['manage', 'cannot be blank']])],
      ['cluster', 'cannot be blank'],
    ]);
    expect(formatIssues(issues as never)).toBe(
      'cluster: cannot be blank; hostnames: (manage: cannot be blank; storage: cannot be blank.); zone: cannot be blank.',
    );
  });

  test('Go unmarshal: case-insensitive names, null is zero, mistyped fails', () => {
    const type = { struct: { size: 'int', name: 'string', tags: { map: 'string' } } } as const;
    expect(decodeGo({ SIZE: 3, name: null, extra: true }, type)).toEqual({ size: 3, name: '', tags: undefined });
    expect(() => decodeGo({ size: '3' }, type)).toThrow();
    expect(() => decodeGo({ size: 1.5 }, type)).toThrow();
    expect(() => decodeGo([1], type)).toThrow();
  });

  test('durations print as Go does', () => {
    expect(goDuration(10)).toBe('10s');
    expect(goDuration(65)).toBe('1m5s');
    expect(goDuration(3600)).toBe('1h0m0s');
    expect(goDuration(498703 * 3600 + 25 * 60 + 32)).toBe('498703h25m32s');
  });

  test('qsh is sha256 of METHOD&path', () => {
    expect(qsh('GET', '/clusters')).toBe(createHash('sha256').update('GET&/clusters').digest('hex'));
  });

  test.each([
    [1048576, 1, 1056768],
    [4194304, 1.5, 6324224],
    [1048576, 1.2, 1269760],
  ])('brick of %d KiB with factor %p takes %d KiB', (brick, factor, total) => expect(brickFootprintKib(brick, factor)).toBe(total));
});
