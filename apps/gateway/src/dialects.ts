import { Router } from 'express';
import { Config, DialectPorts } from '@rosetta/config';
import { DialectDeps } from '@rosetta/http';
import { createOmniStackRouter } from '@rosetta/dialect-omnistack';
import { createLustreRouter } from '@rosetta/dialect-lustre';
import { createNovaComputeRouter, createNovaIdentityRouter, NovaSettings } from '@rosetta/dialect-nova';
import { createEco4CloudRouter } from '@rosetta/dialect-eco4cloud';
import { createHeketiRouter } from '@rosetta/dialect-heketi';

/** One vendor API: where it lives on the shared port, and the variable that gives it its own. */
export type OwnPortScheme = 'https' | 'http' | 'both';

export interface DialectMount {
  name: string;
  /** Prefix on the shared port. The router is mounted here and, on its own port, at the root. */
  prefix: string;
  /** Path shown to people after the base URL (e.g. the API root). */
  entry: string;
  portKey: keyof DialectPorts;
  create(deps: DialectDeps, config: Config): Router;
  /**
   * Its own port's scheme when the vendor fixes it (`both`: HTTPS and plain HTTP on the one port);
   * absent: HTTPS exactly when ROSETTA_TLS says so.
   */
  ownPortScheme?(config: Config): OwnPortScheme;
}

const novaOptions = (c: Config): NovaSettings => ({
  ...c.nova,
  identityPort: c.dialectPorts.novaIdentity,
  computePort: c.dialectPorts.novaCompute,
  sharedPort: c.port || undefined,
  publicUrl: c.publicUrl,
});

export const DIALECTS: DialectMount[] = [
  { name: 'omnistack', prefix: '/omnistack', entry: '/api', portKey: 'omnistack', create: (d, c) => createOmniStackRouter({ ...d, settings: c.omnistack }), ownPortScheme: (c) => (c.omnistack.ownPortHttps ? 'https' : 'http') },
  // IML's manager answers its API over HTTPS and HTTP alike, and hands out its certificate.
  {
    name: 'lustre',
    prefix: '/lustre',
    entry: '/api/',
    portKey: 'lustre',
    create: (d, c) => createLustreRouter({ ...d, lustre: c.lustre, certificateFile: (c.tls || c.dialectPorts.lustre !== undefined) ? (c.tls?.certFile ?? `${c.dataDir}/tls/cert.pem`) : undefined }),
    ownPortScheme: () => 'both',
  },
  { name: 'nova-identity', prefix: '/openstack/identity', entry: '/v3', portKey: 'novaIdentity', create: (d, c) => createNovaIdentityRouter({ ...d, ...novaOptions(c) }) },
  { name: 'nova-compute', prefix: '/openstack/compute', entry: '/v2.1', portKey: 'novaCompute', create: (d, c) => createNovaComputeRouter({ ...d, ...novaOptions(c) }) },
  { name: 'eco4cloud', prefix: '/eco4cloud', entry: '/api', portKey: 'eco4cloud', create: (d, c) => createEco4CloudRouter({ ...d, ...c.eco4cloud }) },
  { name: 'heketi', prefix: '/heketi', entry: '/hello', portKey: 'heketi', create: (d, c) => createHeketiRouter({ ...d, settings: c.heketi }) },
];
