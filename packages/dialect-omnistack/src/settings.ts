/** Structurally the same as @rosetta/config's OmniStackConfig, which a dialect may not import. */
export interface OmniStackUser {
  name: string;
  password: string;
  role: 'admin' | 'readonly' | 'emergency';
}

export interface OmniStackSettings {
  users: OmniStackUser[];
  tokenIdleSeconds: number;
  tokenLifetimeSeconds: number;
  strictMediaTypes: boolean;
  restApiVersion: string;
  svtfsVersion: string;
  /** Policy schedule report limits: policy backups per day, and kept at once, the federation allows. */
  dailyBackupRateLimit: number;
  retainedBackupsLimit: number;
}

/** HPE's documented defaults, for tests and for a gateway that passes no configuration. */
export const DEFAULT_SETTINGS: OmniStackSettings = {
  users: [
    { name: 'administrator@vsphere.local', password: 'svtpassword', role: 'admin' },
    { name: 'readonly@vsphere.local', password: 'svtpassword', role: 'readonly' },
    { name: 'svtcli', password: 'svtpassword', role: 'emergency' },
  ],
  tokenIdleSeconds: 600,
  tokenLifetimeSeconds: 86_400,
  strictMediaTypes: false,
  restApiVersion: '1.25',
  svtfsVersion: '5.3.1.132',
  // HPE documents the fields but not the figures; these are round numbers, configurable.
  dailyBackupRateLimit: 100_000,
  retainedBackupsLimit: 250_000,
};
