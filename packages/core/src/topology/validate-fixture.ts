import { CoreError } from '../errors';
import { Fixture } from './fixture';

export interface FixtureIssue {
  path: string;
  problem: string;
}

type Json = unknown;

const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks a parsed fixture and returns every problem with its JSON path, not just the first. */
export function validateFixture(doc: Json): FixtureIssue[] {
  const issues: FixtureIssue[] = [];
  const add = (path: string, problem: string): void => {
    issues.push({ path, problem });
  };

  const str = (obj: Record<string, Json>, key: string, path: string, required = false): void => {
    if (obj[key] === undefined) {
      if (required) add(`${path}.${key}`, 'is required');
    } else if (typeof obj[key] !== 'string' || (obj[key] as string).trim() === '') add(`${path}.${key}`, 'must be a non-empty string');
  };
  const num = (obj: Record<string, Json>, key: string, path: string, opts: { required?: boolean; min?: number; int?: boolean } = {}): void => {
    const v = obj[key];
    if (v === undefined) {
      if (opts.required) add(`${path}.${key}`, 'is required');
      return;
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) return add(`${path}.${key}`, 'must be a number');
    if (opts.int && !Number.isInteger(v)) add(`${path}.${key}`, 'must be an integer');
    if (opts.min !== undefined && v < opts.min) add(`${path}.${key}`, `must be at least ${opts.min}`);
  };
  const oneOf = (obj: Record<string, Json>, key: string, path: string, values: string[]): void => {
    if (obj[key] !== undefined && !values.includes(obj[key] as string)) add(`${path}.${key}`, `must be one of ${values.join(', ')}`);
  };
  const stringMap = (obj: Record<string, Json>, key: string, path: string): void => {
    const v = obj[key];
    if (v === undefined) return;
    if (!isObject(v) || Object.values(v).some((x) => typeof x !== 'string')) add(`${path}.${key}`, 'must be an object of strings');
  };
  const list = (obj: Record<string, Json>, key: string, path: string, each: (item: Record<string, Json>, at: string) => void): void => {
    const v = obj[key];
    if (v === undefined) return;
    if (!Array.isArray(v)) return add(`${path}.${key}`, 'must be an array');
    v.forEach((item, i) => {
      const at = `${path}.${key}[${i}]`;
      if (!isObject(item)) add(at, 'must be an object');
      else each(item, at);
    });
  };
  const unique = (names: string[], path: string, what: string): void => {
    const seen = new Set<string>();
    for (const name of names) {
      if (seen.has(name)) add(path, `duplicate ${what} name ${JSON.stringify(name)}`);
      seen.add(name);
    }
  };

  if (!isObject(doc)) return [{ path: '$', problem: 'must be a JSON object' }];
  const known = ['seed', 'sites', 'policies', 'aggregates', 'generate', '$comment'];
  for (const key of Object.keys(doc)) if (!known.includes(key)) add(`$.${key}`, 'is not a fixture field');
  str(doc, 'seed', '$');

  const policyNames = new Set<string>();
  list(doc, 'policies', '$', (p, at) => {
    str(p, 'name', at, true);
    if (typeof p.name === 'string') policyNames.add(p.name);
    list(p, 'rules', at, (r, rat) => {
      num(r, 'frequencyMinutes', rat, { required: true, min: 1, int: true });
      num(r, 'retentionMinutes', rat, { required: true, min: 1, int: true });
    });
  });
  const policy = (obj: Record<string, Json>, at: string): void => {
    if (obj.policy !== undefined && !policyNames.has(obj.policy as string)) add(`${at}.policy`, `names no policy in $.policies`);
  };

  const hostNames: string[] = [];
  /** Hosts shared LUNs name, checked once every host is known. */
  const sharedOn: { host: string; owner: string; at: string }[] = [];
  const host = (h: Record<string, Json>, at: string, datastores: Set<string>): void => {
    str(h, 'name', at, true);
    if (typeof h.name === 'string') hostNames.push(h.name);
    for (const key of ['address', 'storageAddress', 'model', 'serial']) str(h, key, at);
    for (const key of ['cpuCores', 'cpuMhz', 'memoryGiB', 'powerIdleWatts', 'powerMaxWatts']) num(h, key, at, { min: 0 });
    num(h, 'zone', at, { min: 0, int: true });
    oneOf(h, 'state', at, ['up', 'down', 'maintenance']);
    oneOf(h, 'power', at, ['on', 'off']);
    stringMap(h, 'tags', at);
    if (h.ipmi !== undefined && !isObject(h.ipmi)) add(`${at}.ipmi`, 'must be an object');
    const deviceNames: string[] = [];
    list(h, 'devices', at, (d, dat) => {
      str(d, 'name', dat, true);
      num(d, 'sizeGiB', dat, { required: true, min: 0 });
      oneOf(d, 'kind', dat, ['disk', 'lun']);
      if (typeof d.name === 'string') deviceNames.push(d.name);
      list(d, 'alsoOn', dat, (p, pat) => {
        str(p, 'host', pat, true);
        str(p, 'path', pat);
        if (typeof p.host === 'string') sharedOn.push({ host: p.host, owner: typeof h.name === 'string' ? h.name : '', at: `${pat}.host` });
      });
    });
    unique(deviceNames, `${at}.devices`, 'device');
    list(h, 'vms', at, (v, vat) => {
      str(v, 'name', vat, true);
      oneOf(v, 'state', vat, ['running', 'stopped', 'suspended']);
      num(v, 'cpuCount', vat, { min: 1, int: true });
      num(v, 'memoryMiB', vat, { min: 0 });
      num(v, 'diskGiB', vat, { min: 0 });
      if (v.datastore !== undefined && !datastores.has(v.datastore as string)) add(`${vat}.datastore`, 'names no datastore of this cluster');
      policy(v, vat);
    });
  };

  const siteNames: string[] = [];
  list(doc, 'sites', '$', (s, at) => {
    str(s, 'name', at, true);
    if (typeof s.name === 'string') siteNames.push(s.name);
    const clusterNames: string[] = [];
    list(s, 'clusters', at, (c, cat) => {
      str(c, 'name', cat, true);
      if (typeof c.name === 'string') clusterNames.push(c.name);
      stringMap(c, 'tags', cat);
      const datastores = new Set<string>();
      list(c, 'datastores', cat, (d, dat) => {
        str(d, 'name', dat, true);
        num(d, 'capacityGiB', dat, { required: true, min: 0 });
        policy(d, dat);
        if (typeof d.name === 'string') datastores.add(d.name);
      });
      list(c, 'hosts', cat, (h, hat) => host(h, hat, datastores));
    });
    unique(clusterNames, `${at}.clusters`, 'cluster');
    list(s, 'hosts', at, (h, hat) => host(h, hat, new Set()));
  });
  unique(siteNames, '$.sites', 'site');
  unique(hostNames, '$.sites', 'host');

  const hostSet = new Set(hostNames);
  for (const s of sharedOn) {
    if (!hostSet.has(s.host)) add(s.at, 'names no host of the fixture');
    else if (s.host === s.owner) add(s.at, 'is the device\'s own host');
  }
  const aggregateNames: string[] = [];
  list(doc, 'aggregates', '$', (a, at) => {
    str(a, 'name', at, true);
    str(a, 'availabilityZone', at);
    stringMap(a, 'metadata', at);
    if (typeof a.name === 'string') aggregateNames.push(a.name);
    if (a.hosts !== undefined) {
      if (!Array.isArray(a.hosts)) add(`${at}.hosts`, 'must be an array');
      else a.hosts.forEach((h, i) => hostSet.has(h as string) || add(`${at}.hosts[${i}]`, 'names no host of the fixture'));
    }
  });
  unique(aggregateNames, '$.aggregates', 'aggregate');

  if (doc.generate !== undefined) {
    if (!isObject(doc.generate)) add('$.generate', 'must be an object');
    else {
      for (const key of ['sites', 'clustersPerSite', 'hostsPerCluster', 'devicesPerHost', 'vmsPerHost', 'datastoresPerCluster']) {
        num(doc.generate, key, '$.generate', { required: true, min: 0, int: true });
      }
      num(doc.generate, 'deviceSizeGiB', '$.generate', { min: 1 });
      num(doc.generate, 'zonesPerCluster', '$.generate', { min: 1, int: true });
    }
  }
  return issues;
}

export function assertValidFixture(doc: unknown): Fixture {
  const issues = validateFixture(doc);
  if (issues.length) {
    throw new CoreError('VALIDATION', `invalid fixture:\n${issues.map((i) => `  ${i.path}: ${i.problem}`).join('\n')}`, {
      reason: 'invalid_fixture',
      fields: issues.map((i) => ({ field: i.path, problem: i.problem })),
    });
  }
  return doc as Fixture;
}
