import fs from 'fs';
import { once } from 'events';
import { SingleBar, Presets } from 'cli-progress';
import { GenerateSpec, generateTopology } from '@rosetta/core';

export interface GenerateOptions {
  spec: GenerateSpec;
  seed: string;
  out: string;
  /** Show a progress bar (on a terminal). */
  progress: boolean;
}

export interface GenerateSummary {
  file: string;
  sites: number;
  clusters: number;
  hosts: number;
  vms: number;
  bytes: number;
}

/**
 * Expands the multipliers into an explicit fixture file, written cluster by cluster so a 50,000-VM
 * topology never sits in memory twice as one JSON string. The fixture carries the seed, so
 * loading it gives the same ids on every run.
 */
export async function writeGeneratedFixture({ spec, seed, out, progress }: GenerateOptions): Promise<GenerateSummary> {
  const sites = generateTopology(spec, seed);
  const totalHosts = spec.sites * spec.clustersPerSite * spec.hostsPerCluster;
  const bar = progress ? new SingleBar({ format: 'generating [{bar}] {percentage}% {value}/{total} hosts', stream: process.stderr }, Presets.shades_classic) : undefined;
  bar?.start(totalHosts, 0);
  const stream = fs.createWriteStream(out);
  let bytes = 0;
  const write = async (text: string): Promise<void> => {
    bytes += Buffer.byteLength(text);
    if (!stream.write(text)) await once(stream, 'drain');
  };
  let hosts = 0;
  try {
    await write(`{"seed":${JSON.stringify(seed)},"sites":[`);
    for (const [s, site] of sites.entries()) {
      await write(`${s ? ',' : ''}{"name":${JSON.stringify(site.name)},"clusters":[`);
      for (const [c, cluster] of (site.clusters ?? []).entries()) {
        await write(`${c ? ',' : ''}${JSON.stringify(cluster)}`);
        hosts += cluster.hosts?.length ?? 0;
        bar?.update(hosts);
      }
      await write(']}');
    }
    await write(']}\n');
    stream.end();
    await once(stream, 'finish');
  } finally {
    bar?.stop();
  }
  return {
    file: out,
    sites: spec.sites,
    clusters: spec.sites * spec.clustersPerSite,
    hosts,
    vms: hosts * spec.vmsPerHost,
    bytes,
  };
}
