import { Entity } from './entity';

/**
 * A further path to a device from another host (a LUN zoned to an HA pair). Once a device has
 * paths, they name every node, its owner's included, each with the Lustre manager's flags:
 * `primary` (the node a target is created on, one per device) and `use` (a failover candidate).
 */
export interface DevicePath extends Entity {
  deviceId: string;
  hostId: string;
  path: string;
  primary: boolean;
  use: boolean;
}

export interface NewDevicePath {
  id?: string;
  deviceId: string;
  hostId: string;
  path: string;
  primary?: boolean;
  use?: boolean;
}

export type DevicePathPatch = Partial<Pick<DevicePath, 'primary' | 'use'>>;

/** A Lustre manager account. The password is kept only as a salted hash the dialect computes. */
export interface LustreAccount extends Entity {
  username: string;
  passwordHash: string;
  groups: string[];
  email: string;
  firstName: string;
  lastName: string;
}

export interface NewLustreAccount {
  id?: string;
  username: string;
  passwordHash: string;
  groups?: string[];
  email?: string;
  firstName?: string;
  lastName?: string;
}

export type LustreAccountPatch = Partial<Pick<LustreAccount, 'username' | 'passwordHash' | 'groups' | 'email' | 'firstName' | 'lastName'>>;

/** An account's wish to be mailed alerts of one type (the dialect's alert class name). */
export interface AlertSubscription extends Entity {
  userId: string;
  alertType: string;
}

export interface NewAlertSubscription {
  id?: string;
  userId: string;
  alertType: string;
}

/** A token servers present to register themselves with the manager, for a profile. */
export interface RegistrationToken extends Entity {
  secret: string;
  profile: string;
  /** Registrations left. */
  credits: number;
  expiresAt: Date;
  cancelled: boolean;
}

export interface NewRegistrationToken {
  id?: string;
  secret: string;
  profile: string;
  credits: number;
  expiresAt: Date;
  cancelled?: boolean;
}

export type RegistrationTokenPatch = Partial<Pick<RegistrationToken, 'credits' | 'cancelled'>>;

export type ClientMountState = 'unmounted' | 'mounted' | 'removed';

/** A Lustre filesystem mounted (or to be mounted) on a client or worker host. */
export interface ClientMount extends Entity {
  hostId: string;
  filesystemId: string;
  mountpoint: string;
  state: ClientMountState;
}

export interface NewClientMount {
  id?: string;
  hostId: string;
  filesystemId: string;
  mountpoint: string;
  state?: ClientMountState;
}

export type ClientMountPatch = Partial<Pick<ClientMount, 'state' | 'mountpoint'>>;

export type CopytoolState = 'unconfigured' | 'stopped' | 'started' | 'removed';

/** An HSM copytool: a data mover on a worker host, archiving a filesystem's files to an archive. */
export interface Copytool extends Entity {
  hostId: string;
  filesystemId: string;
  binPath: string;
  archive: number;
  mountpoint: string;
  hsmArguments: string;
  /** Distinguishes several instances of one copytool on one host. */
  index: number;
  uuid: string;
  state: CopytoolState;
}

export interface NewCopytool {
  id?: string;
  hostId: string;
  filesystemId: string;
  binPath: string;
  archive: number;
  mountpoint: string;
  hsmArguments?: string;
  index?: number;
  uuid: string;
  state?: CopytoolState;
}

export type CopytoolPatch = Partial<Pick<Copytool, 'state'>>;
