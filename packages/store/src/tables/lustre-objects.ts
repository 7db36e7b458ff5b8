import {
  ClientMount,
  ClientMountPatch,
  AlertSubscription,
  NewAlertSubscription,
  Copytool,
  CopytoolPatch,
  NewCopytool,
  DevicePath,
  DevicePathPatch,
  LustreAccount,
  LustreAccountPatch,
  NewClientMount,
  NewDevicePath,
  NewLustreAccount,
  NewRegistrationToken,
  RegistrationToken,
  RegistrationTokenPatch,
} from '@rosetta/core';
import { TableDef, entity, baseFields, json } from '../table-repository';

export const devicePathsTable: TableDef<DevicePath, NewDevicePath, DevicePathPatch> = {
  table: 'device_paths',
  kind: 'device_path',
  fields: {
    ...baseFields,
    deviceId: { column: 'device_id', type: 'uuid' },
    hostId: { column: 'host_id', type: 'uuid' },
    path: { column: 'path', type: 'string' },
    primary: { column: 'primary', type: 'boolean' },
    use: { column: 'use', type: 'boolean' },
  },
  toEntity: (r) => entity(r, {
    deviceId: r.device_id as string,
    hostId: r.host_id as string,
    path: r.path as string,
    primary: r.primary as boolean,
    use: r.use as boolean,
  }),
  insertRow: (n) => ({ device_id: n.deviceId, host_id: n.hostId, path: n.path, primary: n.primary, use: n.use }),
  patchRow: (p) => ({ primary: p.primary, use: p.use }),
};

export const lustreUsersTable: TableDef<LustreAccount, NewLustreAccount, LustreAccountPatch> = {
  table: 'lustre_users',
  kind: 'user',
  fields: {
    ...baseFields,
    username: { column: 'username', type: 'string' },
    email: { column: 'email', type: 'string' },
  },
  toEntity: (r) => entity(r, {
    username: r.username as string,
    passwordHash: r.password_hash as string,
    groups: r.groups as string[],
    email: r.email as string,
    firstName: r.first_name as string,
    lastName: r.last_name as string,
  }),
  insertRow: (n) => ({
    username: n.username,
    password_hash: n.passwordHash,
    groups: n.groups && json(n.groups),
    email: n.email,
    first_name: n.firstName,
    last_name: n.lastName,
  }),
  patchRow: (p) => ({
    username: p.username,
    password_hash: p.passwordHash,
    groups: p.groups && json(p.groups),
    email: p.email,
    first_name: p.firstName,
    last_name: p.lastName,
  }),
};

export const registrationTokensTable: TableDef<RegistrationToken, NewRegistrationToken, RegistrationTokenPatch> = {
  table: 'lustre_registration_tokens',
  kind: 'registration_token',
  fields: {
    ...baseFields,
    secret: { column: 'secret', type: 'string' },
    profile: { column: 'profile', type: 'string' },
    credits: { column: 'credits', type: 'number' },
    expiresAt: { column: 'expires_at', type: 'date' },
    cancelled: { column: 'cancelled', type: 'boolean' },
  },
  toEntity: (r) => entity(r, {
    secret: r.secret as string,
    profile: r.profile as string,
    credits: r.credits as number,
    expiresAt: r.expires_at as Date,
    cancelled: r.cancelled as boolean,
  }),
  insertRow: (n) => ({ secret: n.secret, profile: n.profile, credits: n.credits, expires_at: n.expiresAt, cancelled: n.cancelled }),
  patchRow: (p) => ({ credits: p.credits, cancelled: p.cancelled }),
};

export const clientMountsTable: TableDef<ClientMount, NewClientMount, ClientMountPatch> = {
  table: 'lustre_client_mounts',
  kind: 'client_mount',
  fields: {
    ...baseFields,
    hostId: { column: 'host_id', type: 'uuid' },
    filesystemId: { column: 'filesystem_id', type: 'uuid' },
    mountpoint: { column: 'mountpoint', type: 'string' },
    state: { column: 'state', type: 'string' },
  },
  toEntity: (r) => entity(r, {
    hostId: r.host_id as string,
    filesystemId: r.filesystem_id as string,
    mountpoint: r.mountpoint as string,
    state: r.state as ClientMount['state'],
  }),
  insertRow: (n) => ({ host_id: n.hostId, filesystem_id: n.filesystemId, mountpoint: n.mountpoint, state: n.state }),
  patchRow: (p) => ({ state: p.state, mountpoint: p.mountpoint }),
};

export const copytoolsTable: TableDef<Copytool, NewCopytool, CopytoolPatch> = {
  table: 'lustre_copytools',
  kind: 'copytool',
  fields: {
    ...baseFields,
    hostId: { column: 'host_id', type: 'uuid' },
    filesystemId: { column: 'filesystem_id', type: 'uuid' },
    binPath: { column: 'bin_path', type: 'string' },
    archive: { column: 'archive', type: 'number' },
    index: { column: 'index', type: 'number' },
    state: { column: 'state', type: 'string' },
  },
  toEntity: (r) => entity(r, {
    hostId: r.host_id as string,
    filesystemId: r.filesystem_id as string,
    binPath: r.bin_path as string,
    archive: r.archive as number,
    mountpoint: r.mountpoint as string,
    hsmArguments: r.hsm_arguments as string,
    index: r.index as number,
    uuid: r.uuid as string,
    state: r.state as Copytool['state'],
  }),
  insertRow: (n) => ({
    host_id: n.hostId,
    filesystem_id: n.filesystemId,
    bin_path: n.binPath,
    archive: n.archive,
    mountpoint: n.mountpoint,
    hsm_arguments: n.hsmArguments,
    index: n.index,
    uuid: n.uuid,
    state: n.state,
  }),
  patchRow: (p) => ({ state: p.state }),
};

export const alertSubscriptionsTable: TableDef<AlertSubscription, NewAlertSubscription, Record<string, never>> = {
  table: 'lustre_alert_subscriptions',
  kind: 'alert_subscription',
  fields: { ...baseFields, userId: { column: 'user_id', type: 'uuid' }, alertType: { column: 'alert_type', type: 'string' } },
  toEntity: (r) => entity(r, { userId: r.user_id as string, alertType: r.alert_type as string }),
  insertRow: (n) => ({ user_id: n.userId, alert_type: n.alertType }),
  patchRow: () => ({}),
};
