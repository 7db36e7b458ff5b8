import { Request, Response } from 'express';
import { CoreError, Filter, Job, Services, eq } from '@rosetta/core';
import { hexId } from './ids';
import { publicPath, sendRedirect } from './reply';

/** The Heketi server's settings (heketi.json and its environment overrides). */
export interface HeketiSettings {
  auth: boolean;
  adminKey: string;
  userKey: string;
  iatLeewaySeconds: number;
  maxInflightOperations: number;
  deviceSizeGb: number;
  zoneChecking: 'none' | 'strict';
  defaultState: AdminState;
  preRequestVolumeOptions: string;
  postRequestVolumeOptions: string;
  autoCreateBlockHostingVolume: boolean;
  blockHostingVolumeSizeGb: number;
  /** max_volumes_per_cluster: negative for no limit; absent (older callers) also means no limit. */
  maxVolumesPerCluster?: number;
}

export type AdminState = 'normal' | 'read-only' | 'local-client';

/** What every route handler of one router shares. */
export interface HeketiContext {
  services: Services;
  settings: HeketiSettings;
  /** Heketi keeps its admin state and log level in memory: a restart resets them, here too. */
  admin: { state: AdminState };
  logLevel: { glusterfs: string };
}

export type Params = Record<string, string>;
export type Handler = (req: Request, res: Response, params: Params) => Promise<void>;

export interface RouteTable {
  add(method: string, path: string, handler: Handler): void;
}

/** Jobs this dialect started that have not ended: Heketi's in-flight operations. */
export const ORIGIN = 'heketi';
const ACTIVE: Filter = { all: [eq('origin', ORIGIN), { field: 'state', op: 'in', value: ['queued', 'running'] }] };

export const activeJobs = (ctx: HeketiContext): Promise<Job[]> => ctx.services.jobs.list({ filter: ACTIVE });

/** Volumes and block volumes still being created (or cloned) are invisible to lists and lookups, as in Heketi (listing.go). */
export async function pendingVolumes(ctx: HeketiContext): Promise<Set<string>> {
  const jobs = await ctx.services.jobs.list({
    filter: { all: [ACTIVE, { field: 'kind', op: 'in', value: ['volume.create', 'volume.clone', 'block_volume.create'] }] },
  });
  // A clone hides both the new volume and its source until it ends.
  const made = (kind: string) => (kind === 'block_volume.create' ? 'block_volume' : 'volume');
  return new Set(jobs.flatMap((j) => j.affected.filter((a) => a.kind === made(j.kind)).map((a) => a.id)));
}

/** max_inflight_operations: beyond it Heketi answers 429 before doing anything. */
export async function throttle(ctx: HeketiContext): Promise<void> {
  if ((await ctx.services.jobs.count(ACTIVE)) >= ctx.settings.maxInflightOperations) {
    throw new CoreError('UNAVAILABLE', 'too many operations in flight', { reason: 'throttled' });
  }
}

/** 202 with the queue entry to poll. */
export const accepted = (req: Request, res: Response, job: Job): void =>
  sendRedirect(req, res, publicPath(req, `/queue/${hexId(job.id)}`), 202);
