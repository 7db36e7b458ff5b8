import { Router } from 'express';
import { DialectPorts } from '@rosetta/config';
import { DialectDeps } from '@rosetta/http';
import { createOmniStackRouter } from '@rosetta/dialect-omnistack';
import { createLustreRouter } from '@rosetta/dialect-lustre';
import { createNovaComputeRouter, createNovaIdentityRouter } from '@rosetta/dialect-nova';
import { createEco4CloudRouter } from '@rosetta/dialect-eco4cloud';
import { createHeketiRouter } from '@rosetta/dialect-heketi';

/** One vendor API: where it lives on the shared port, and the variable that gives it its own. */
export interface DialectMount {
  name: string;
  /** Prefix on the shared port. The router is mounted here and, on its own port, at the root. */
  prefix: string;
  /** Path shown to people after the base URL (e.g. the API root). */
  entry: string;
  portKey: keyof DialectPorts;
  create(deps: DialectDeps): Router;
}

export const DIALECTS: DialectMount[] = [
  { name: 'omnistack', prefix: '/omnistack', entry: '/api', portKey: 'omnistack', create: (d) => createOmniStackRouter(d) },
  { name: 'lustre', prefix: '/lustre', entry: '/api/', portKey: 'lustre', create: (d) => createLustreRouter(d) },
  { name: 'nova-identity', prefix: '/openstack/identity', entry: '/v3', portKey: 'novaIdentity', create: (d) => createNovaIdentityRouter(d) },
  { name: 'nova-compute', prefix: '/openstack/compute', entry: '/v2.1', portKey: 'novaCompute', create: (d) => createNovaComputeRouter(d) },
  { name: 'eco4cloud', prefix: '/eco4cloud', entry: '/api', portKey: 'eco4cloud', create: (d) => createEco4CloudRouter(d) },
  { name: 'heketi', prefix: '/heketi', entry: '/hello', portKey: 'heketi', create: (d) => createHeketiRouter(d) },
];
