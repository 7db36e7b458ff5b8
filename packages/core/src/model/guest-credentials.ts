import { Entity } from './entity';

/**
 * The guest operating system account a VM's application-consistent (VSS) backups log in with
 * (OmniStack's backup_parameters). The id is the VM's id: one set per VM. A secret: never
 * rendered, never in a job row (it travels through parked_credentials).
 */
export interface GuestCredentials extends Entity {
  username: string;
  password: string;
  /** The caller asked not to check the account against the guest. */
  overrideValidation: boolean;
  /** How application-consistent backups quiesce the guest: 'vss', 'default', 'none' ... */
  appAwareType: string | null;
}

export interface NewGuestCredentials {
  id: string;
  username: string;
  password: string;
  overrideValidation: boolean;
  appAwareType: string | null;
}

export type GuestCredentialsPatch = Partial<Pick<GuestCredentials, 'username' | 'password' | 'overrideValidation' | 'appAwareType'>>;
