/**
 * The control API as an OpenAPI 3.1 document, served at /_rosetta/openapi.json. Built from one
 * table of operations so adding a route means adding one line here; the e2e test checks every
 * route the router answers is described.
 */
import { OBJECT_FILTER_FIELDS } from './object-query';

type Schema = Record<string, unknown>;

interface Op {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  tag: string;
  summary: string;
  body?: Schema;
  query?: Record<string, { schema: Schema; description: string }>;
  status?: number;
  response?: Schema;
  text?: boolean;
  /** A text/event-stream response. */
  stream?: boolean;
}

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const obj = (properties: Record<string, Schema>, required: string[] = []): Schema => ({ type: 'object', properties, required });
const str: Schema = { type: 'string' };
const int: Schema = { type: 'integer' };
const page = { limit: { schema: int, description: 'page size (1-1000, default 100)' }, offset: { schema: int, description: 'rows to skip' } };

/** Exact-match narrowing of /objects/{kind} pages ("null" for an unset reference). */
const objectFilters = Object.fromEntries(OBJECT_FILTER_FIELDS.map((f) => [f, { schema: str, description: `only objects whose ${f} is this ("null": unset); kinds without the field answer 400` }]));

const OPS: Op[] = [
  { method: 'get', path: '/health', tag: 'health', summary: 'Liveness: 200 once the gateway serves, 503 while starting', response: obj({ status: str }) },
  { method: 'get', path: '/ready', tag: 'health', summary: 'Readiness, including a database round trip', response: obj({ status: str }) },
  { method: 'get', path: '/openapi.json', tag: 'health', summary: 'This document' },
  { method: 'post', path: '/reset', tag: 'domain', summary: 'Empty the domain (and fault rules), then load a fixture by name ("default": the one the gateway was started with)', body: obj({ fixture: { type: 'string', default: 'empty' } }) },
  { method: 'post', path: '/fixture', tag: 'domain', summary: 'Replace the domain with the fixture document in the body', body: { type: 'object' }, status: 201 },
  { method: 'get', path: '/objects/{kind}', tag: 'domain', summary: 'Page through domain objects of a kind, in creation order (`next` is the `after` of the following page)', query: { ...page, after: { schema: int, description: 'keyset paging: objects after this seq (the previous answer\'s `next`); not with offset' }, name: { schema: str, description: 'case-insensitive name substring' }, q: { schema: str, description: 'name substring, or an id in any dialect form (UUID, 32 hex digits, integer)' }, ...objectFilters } },
  { method: 'get', path: '/objects/{kind}/{id}', tag: 'domain', summary: 'One domain object' },
  { method: 'get', path: '/snapshots', tag: 'snapshots', summary: 'List snapshots', response: obj({ snapshots: { type: 'array', items: ref('Snapshot') } }) },
  { method: 'post', path: '/snapshots', tag: 'snapshots', summary: 'Save the whole domain (jobs included) under a name', body: obj({ name: str, replace: { type: 'boolean' } }, ['name']), status: 201, response: ref('Snapshot') },
  { method: 'post', path: '/snapshots/import', tag: 'snapshots', summary: 'Store an exported snapshot document', body: ref('SnapshotDocument'), query: { name: { schema: str, description: 'store under this name instead' }, replace: { schema: { type: 'boolean' }, description: 'overwrite a snapshot of that name' } }, status: 201, response: ref('Snapshot') },
  { method: 'get', path: '/snapshots/{name}', tag: 'snapshots', summary: 'One snapshot', response: ref('Snapshot') },
  { method: 'delete', path: '/snapshots/{name}', tag: 'snapshots', summary: 'Delete a snapshot', status: 204 },
  { method: 'get', path: '/snapshots/{name}/export', tag: 'snapshots', summary: 'The snapshot as a JSON document (to a file)', response: ref('SnapshotDocument') },
  { method: 'post', path: '/snapshots/{name}/restore', tag: 'snapshots', summary: 'Replace the domain with the snapshot, atomically', response: obj({ restored: ref('Snapshot'), requeuedJobs: int, ms: int }) },
  { method: 'get', path: '/clock', tag: 'clock', summary: 'Read the shared virtual clock', response: ref('Clock') },
  { method: 'post', path: '/clock/freeze', tag: 'clock', summary: 'Stop time', response: ref('Clock') },
  { method: 'post', path: '/clock/advance', tag: 'clock', summary: 'Move time forward', body: obj({ duration: { type: 'string', examples: ['90s', '15m', '1h30m'] }, seconds: { type: 'number' }, ms: { type: 'number' } }), response: ref('Clock') },
  { method: 'post', path: '/clock/resume', tag: 'clock', summary: 'Let time run again from where it stands', response: ref('Clock') },
  { method: 'post', path: '/clock/real', tag: 'clock', summary: 'Return to real time', response: ref('Clock') },
  { method: 'get', path: '/faults', tag: 'faults', summary: 'List fault and latency rules with hit counts', response: obj({ faults: { type: 'array', items: ref('FaultRule') } }) },
  { method: 'post', path: '/faults', tag: 'faults', summary: 'Add a rule', body: ref('NewFaultRule'), status: 201, response: ref('FaultRule') },
  { method: 'delete', path: '/faults', tag: 'faults', summary: 'Delete every rule', status: 204 },
  { method: 'post', path: '/domain-faults/hosts/{id}', tag: 'faults', summary: 'Set a host down, up or in maintenance, or power it off or on, as hardware would', body: obj({ state: { enum: ['up', 'down', 'maintenance'] }, power: { enum: ['on', 'off'] } }) },
  { method: 'post', path: '/domain-faults/devices/{id}', tag: 'faults', summary: 'Fail, offline or restore a device', body: obj({ state: { enum: ['online', 'offline', 'failed'] } }, ['state']) },
  { method: 'post', path: '/domain-faults/datastores/{id}', tag: 'faults', summary: 'Report a datastore full (no free space; growth into it fails with CAPACITY) or clear that', body: obj({ full: { type: 'boolean' } }, ['full']) },
  { method: 'get', path: '/faults/{id}', tag: 'faults', summary: 'One rule', response: ref('FaultRule') },
  { method: 'delete', path: '/faults/{id}', tag: 'faults', summary: 'Delete a rule', status: 204 },
  { method: 'get', path: '/jobs', tag: 'jobs', summary: 'List jobs, newest first', query: { ...page, state: { schema: str, description: 'queued, running, succeeded, failed or cancelled (repeatable)' }, kind: { schema: str, description: 'job kind (repeatable)' } } },
  { method: 'get', path: '/jobs/execution', tag: 'jobs', summary: 'The execution mode every runner obeys', response: ref('ExecutionMode') },
  { method: 'put', path: '/jobs/execution', tag: 'jobs', summary: 'Set the execution mode', body: ref('ExecutionMode'), response: ref('ExecutionMode') },
  { method: 'post', path: '/jobs/pause', tag: 'jobs', summary: 'Hold every job before its next step', response: ref('ExecutionMode') },
  { method: 'post', path: '/jobs/manual', tag: 'jobs', summary: 'Run a job step only when told (POST /jobs/{id}/step)', response: ref('ExecutionMode') },
  { method: 'post', path: '/jobs/resume', tag: 'jobs', summary: 'Back to normal execution', response: ref('ExecutionMode') },
  { method: 'get', path: '/jobs/{id}', tag: 'jobs', summary: 'One job with its steps' },
  { method: 'post', path: '/jobs/{id}/cancel', tag: 'jobs', summary: 'Cancel a job before its next step commits' },
  { method: 'post', path: '/jobs/{id}/step', tag: 'jobs', summary: 'Manual mode: let the job run this many more steps', body: obj({ steps: { type: 'integer', default: 1, minimum: 1, maximum: 1000 } }), status: 202 },
  { method: 'post', path: '/jobs/{id}/fail', tag: 'jobs', summary: 'End an unfinished job as failed', body: obj({ message: str }) },
  { method: 'get', path: '/journal', tag: 'journal', summary: "This gateway process's recent dialect requests, newest first", query: { dialect: { schema: str, description: 'dialect name' }, status: { schema: str, description: '404 or a class such as 5xx' }, path: { schema: str, description: 'path contains this text (an object id)' }, job: { schema: str, description: 'the request started this job' }, object: { schema: str, description: 'a job the request started affects this object, or the path names it' }, after: { schema: int, description: 'only entries with a greater seq (tailing)' }, limit: { schema: int, description: 'at most this many (default 100)' } }, response: obj({ size: int, count: int, entries: { type: 'array', items: ref('JournalEntry') } }) },
  { method: 'delete', path: '/journal', tag: 'journal', summary: 'Clear the journal', status: 204 },
  { method: 'put', path: '/journal/settings', tag: 'journal', summary: 'Turn request-body capture on or off (off by default; secrets redacted, 4 KiB per body)', body: obj({ captureBodies: { type: 'boolean' } }, ['captureBodies']), response: obj({ captureBodies: { type: 'boolean' } }) },
  { method: 'get', path: '/metrics', tag: 'metrics', summary: 'Prometheus metrics', text: true },
  { method: 'get', path: '/samples/power', tag: 'metrics', summary: "A site's stored power samples: its hosts' watts and power states summed per sampling instant, ascending", query: { site: { schema: { type: 'string', format: 'uuid' }, description: 'site (farm) uuid; required' }, since: { schema: { type: 'string', format: 'date-time' }, description: 'from (inclusive); default until minus one hour' }, until: { schema: { type: 'string', format: 'date-time' }, description: 'to (inclusive); default now on the domain clock' } }, response: obj({ points: { type: 'array', items: ref('PowerPoint') } }, ['points']) },
  { method: 'get', path: '/events', tag: 'events', summary: 'Server-sent events for dashboards: hello, clock (each second), mode, domain and jobs (change stamps moved), faults (rules or hits changed), journal (new entries)', stream: true },
];

const SCHEMAS: Record<string, Schema> = {
  Error: obj({ error: obj({ code: str, message: str, details: { type: 'object' }, requestId: str }) }, ['error']),
  Snapshot: obj({
    name: str,
    createdAt: { type: 'string', format: 'date-time' },
    schema: str,
    rowCounts: { type: 'object', additionalProperties: int },
    rows: int,
    control: {
      description: 'fault rules and clock saved with the domain (absent for snapshots taken before they were)',
      ...obj({ faultRules: int, clock: { oneOf: [{ type: 'null' }, obj({ frozenAtMs: { type: ['integer', 'null'] }, offsetMs: int })] } }),
    },
  }),
  SnapshotDocument: obj({ format: { const: 'rosetta-snapshot' }, name: str, createdAt: str, schema: str, tables: { type: 'object', additionalProperties: { type: 'array', items: { type: 'object' } } } }, ['format', 'name', 'schema', 'tables']),
  Clock: obj({ now: { type: 'string', format: 'date-time' }, frozen: { type: 'boolean' }, offsetMs: { type: 'number' } }),
  ExecutionMode: obj({ mode: { enum: ['normal', 'paused', 'manual'] } }, ['mode']),
  PowerPoint: obj({ at: { type: 'string', format: 'date-time' }, watts: { type: 'number' }, hostsOn: int, hostsOff: int }, ['at', 'watts', 'hostsOn', 'hostsOff']),
  NewFaultRule: obj({
    target: { enum: ['request', 'step'] },
    dialect: str,
    method: str,
    route: { type: 'string', description: 'glob on the path, * only' },
    jobKind: { type: 'string', description: 'glob, e.g. vm.*' },
    step: str,
    effect: {
      oneOf: [
        obj({ type: { const: 'delay' }, ms: int, jitterMs: int }, ['type', 'ms']),
        obj({ type: { const: 'error' }, code: str, message: str }, ['type', 'code', 'message']),
        obj({ type: { const: 'drop' } }, ['type']),
        obj({ type: { const: 'fail_step' }, message: str }, ['type', 'message']),
      ],
    },
    count: int,
    probability: { type: 'number', minimum: 0, maximum: 1 },
    seed: str,
    expiresInSeconds: { type: 'number' },
  }, ['effect']),
  FaultRule: { type: 'object', description: 'A rule as stored, with id, hits, evaluations and remaining' },
  JournalEntry: obj({ seq: int, at: str, dialect: str, method: str, path: str, status: int, latencyMs: { type: 'number' }, principal: { type: ['string', 'null'] }, requestId: { type: ['string', 'null'] }, body: { type: 'string', description: 'only while body capture is on' }, jobIds: { type: 'array', items: str, description: 'jobs the request started' }, objectIds: { type: 'array', items: str, description: 'objects those jobs affect' } }),
};

export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPS) {
    const pathParams = [...op.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: str }));
    const queryParams = Object.entries(op.query ?? {}).map(([name, q]) => ({ name, in: 'query', required: false, schema: q.schema, description: q.description }));
    const status = String(op.status ?? 200);
    const content = op.stream ? { 'text/event-stream': { schema: str } } : op.text ? { 'text/plain': { schema: str } } : { 'application/json': { schema: op.response ?? { type: 'object' } } };
    paths[op.path] ??= {};
    paths[op.path][op.method] = {
      tags: [op.tag],
      summary: op.summary,
      operationId: `${op.method}${op.path.replace(/[{}]/g, '').replace(/[/._-](\w)/g, (_m, c: string) => c.toUpperCase())}`,
      ...(pathParams.length || queryParams.length ? { parameters: [...pathParams, ...queryParams] } : {}),
      ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: op.body } } } } : {}),
      responses: {
        [status]: status === '204' ? { description: 'done' } : { description: 'ok', content },
        default: { description: 'error', content: { 'application/json': { schema: ref('Error') } } },
      },
      ...(op.tag === 'health' ? { security: [] } : {}),
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Rosetta control plane', version: '0.1.0', description: 'Test-instrument control of a Rosetta gateway: reset, snapshots, clock, faults, jobs, journal, metrics.' },
    servers: [{ url: '/_rosetta' }],
    security: [{ adminToken: [] }],
    paths,
    components: {
      securitySchemes: { adminToken: { type: 'http', scheme: 'bearer', description: 'ROSETTA_ADMIN_TOKEN; without one the API is open to loopback clients only' } },
      schemas: SCHEMAS,
    },
  };
}

