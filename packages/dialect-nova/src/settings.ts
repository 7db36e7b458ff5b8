import { DialectDeps } from '@rosetta/http';

/** What the gateway hands the Nova routers besides the shared deps (from @rosetta/config's NovaConfig). */
export interface NovaSettings {
  users: { name: string; password: string; project: string; roles: string[] }[];
  region: string;
  tokenTtlSeconds: number;
  tokenSecret: string;
  flavors: { id: string; name: string; vcpus: number; ramMb: number; diskGb: number }[];
  images: { id: string; name: string; sizeBytes: number; minDiskGb: number; minRamMb: number }[];
  /** Own ports of the two services, when they have them: the catalog points there from the other port. */
  identityPort?: number;
  computePort?: number;
  /** The shared port (when fixed), where each service is under /openstack/<service>. */
  sharedPort?: number;
  /** Public base URL of the shared port, when the gateway sits behind a proxy. */
  publicUrl?: string;
}

export type NovaRouterOptions = DialectDeps & NovaSettings;
