import { validation } from '../errors';
import { DatastoreSample, HostSample, PowerPoint, VmSample, sampleDomain, sampleInstant } from '../metrics/samples';
import { Repositories } from '../ports/repositories';
import { ServiceDeps } from './deps';
import { mustGet } from './reads';

/** How often samples are taken and how long they are kept, in clock time. */
export interface SamplingSettings {
  intervalMs: number;
  retentionMs: number;
}

/** Five minutes, as vCenter's historical statistics and the consolidation rounds; kept a day. */
export const SAMPLING_DEFAULTS: SamplingSettings = { intervalMs: 5 * 60_000, retentionMs: 24 * 3_600_000 };

export interface SampleRun {
  at: Date;
  /** Samples written (hosts + VMs + datastores). */
  rows: number;
  /** Samples deleted because retention dropped them (or the clock was set back before them). */
  pruned: number;
}

export interface SampleService {
  readonly settings: SamplingSettings;
  /**
   * Writes the samples of the current instant of the interval grid, computed by the simulator in
   * metrics/, unless some process already has (one writer per instant, whatever the number of
   * workers), and deletes what the retention window drops. Undefined when another process won.
   */
  sampleNow(): Promise<SampleRun | undefined>;
  /** A site's power draw and host power states per sampling instant in [since, until] (default: the last hour). */
  powerSeries(siteId: string, since?: Date, until?: Date): Promise<PowerPoint[]>;
}

export function createSampleService({ store, clock }: ServiceDeps, settings: SamplingSettings = SAMPLING_DEFAULTS): SampleService {
  return {
    settings,

    async sampleNow() {
      return store.transaction(async (tx: Repositories) => {
        const now = clock.now();
        const at = sampleInstant(now, settings.intervalMs);
        if (!(await tx.samples.claim(at))) return undefined;
        // VMs, datastores, hosts: the order in which a reset or a snapshot restore locks these
        // tables (children before parents), so that either waits for this read instead of both
        // deadlocking; the claim's table comes first in a reset's lock order too.
        const vms = await tx.samples.vmLoads();
        const datastores = await tx.datastores.list();
        const hosts = await tx.hosts.list({ order: [{ field: 'seq', direction: 'asc' }] });
        const rows = await tx.samples.insert(sampleDomain({ hosts, vms, datastoreIds: datastores.map((d) => d.id) }, at));
        const pruned = await tx.samples.prune(new Date(now.getTime() - settings.retentionMs), at);
        return { at, rows, pruned };
      });
    },

    async powerSeries(siteId, since, until) {
      const end = until ?? clock.now();
      const start = since ?? new Date(end.getTime() - 3_600_000);
      if (start > end) throw validation('since must not be after until', [{ field: 'since', problem: 'is after until' }]);
      await mustGet(store.repos.sites, 'site', siteId);
      return store.repos.samples.powerSeries(siteId, start, end);
    },
  };
}

/** The newest stored samples, as the readers of "the latest sample" need them. */
export interface LatestSamples {
  at: Date;
  hosts(): Promise<Map<string, HostSample>>;
  vms(): Promise<Map<string, VmSample>>;
  datastores(): Promise<Map<string, DatastoreSample>>;
}

/**
 * The newest run at or before the clock's minute, and its samples, read once per run and kept
 * while the `sample_runs` change stamp stays the same: a page of 20 VMs then costs no sample query.
 * Each kind is read whole, lazily (50,000 VMs: one query per run). The newest run is looked up
 * again when the minute turns (the clock may have been set back), but its samples are read again
 * only if it is another run.
 */
export function createLatestSamplesCache(repos: () => Repositories): (runsStamp: string, now: Date) => Promise<LatestSamples | undefined> {
  let lookup: { key: string; value: Promise<LatestSamples | undefined> } | undefined;
  let loaded: { key: string; value: LatestSamples } | undefined;
  const once = <T>(read: () => Promise<T>): (() => Promise<T>) => {
    let value: Promise<T> | undefined;
    return () => {
      if (!value) {
        value = read();
        value.catch(() => (value = undefined));
      }
      return value;
    };
  };
  const samplesOf = (runsStamp: string, at: Date): LatestSamples => {
    const key = `${runsStamp}|${at.getTime()}`;
    if (loaded?.key !== key) {
      loaded = {
        key,
        value: {
          at,
          hosts: once(() => repos().samples.hosts(at)),
          vms: once(() => repos().samples.vms(at)),
          datastores: once(() => repos().samples.datastores(at)),
        },
      };
    }
    return loaded.value;
  };
  return (runsStamp, now) => {
    const minute = Math.floor(now.getTime() / 60_000) * 60_000;
    const key = `${minute}|${runsStamp}`;
    if (lookup?.key !== key) {
      const value = repos()
        .samples.latestRun(new Date(minute + 59_999))
        .then((at) => (at ? samplesOf(runsStamp, at) : undefined));
      lookup = { key, value };
      value.catch(() => {
        if (lookup?.value === value) lookup = undefined;
      });
    }
    return lookup.value;
  };
}
