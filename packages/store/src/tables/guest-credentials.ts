import { GuestCredentials, GuestCredentialsPatch, NewGuestCredentials } from '@rosetta/core';
import { TableDef, entity, baseFields } from '../table-repository';

/** One row per VM (id = the VM's id): the guest account of its application-consistent backups. */
export const guestCredentialsTable: TableDef<GuestCredentials, NewGuestCredentials, GuestCredentialsPatch> = {
  table: 'vm_guest_credentials',
  kind: 'guest_credentials',
  fields: { ...baseFields, appAwareType: { column: 'app_aware_type', type: 'string' } },
  toEntity: (r) => entity(r, {
    username: r.username as string,
    password: r.password as string,
    overrideValidation: r.override_validation as boolean,
    appAwareType: (r.app_aware_type as string | null) ?? null,
  }),
  insertRow: (n) => ({ username: n.username, password: n.password, override_validation: n.overrideValidation, app_aware_type: n.appAwareType }),
  patchRow: (p) => ({ username: p.username, password: p.password, override_validation: p.overrideValidation, app_aware_type: p.appAwareType }),
};
