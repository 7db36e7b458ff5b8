import { NewParkedCredential, ParkedCredential, ParkedCredentialPatch } from '@rosetta/core';
import { TableDef, entity, baseFields } from '../table-repository';

export const parkedCredentialsTable: TableDef<ParkedCredential, NewParkedCredential, ParkedCredentialPatch> = {
  table: 'parked_credentials',
  kind: 'parked_credential',
  fields: { ...baseFields },
  toEntity: (r) => entity(r, { username: r.username as string, password: r.password as string }),
  insertRow: (n) => ({ username: n.username, password: n.password }),
  patchRow: () => ({}),
};
