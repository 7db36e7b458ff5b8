import { AccessToken, AccessTokenPatch, NewAccessToken, Principal } from '@rosetta/core';
import { TableDef, entity, baseFields, json } from '../table-repository';

export const accessTokensTable: TableDef<AccessToken, NewAccessToken, AccessTokenPatch> = {
  table: 'access_tokens',
  kind: 'access_token',
  fields: {
    ...baseFields,
    realm: { column: 'realm', type: 'string' },
    subject: { column: 'subject', type: 'string' },
    lastUsedAt: { column: 'last_used_at', type: 'date' },
    expiresAt: { column: 'expires_at', type: 'date' },
  },
  toEntity: (r) => entity(r, {
    realm: r.realm as string,
    subject: r.subject as string,
    principal: r.principal as Principal,
    idleSeconds: r.idle_seconds as number,
    lastUsedAt: r.last_used_at as Date,
    expiresAt: r.expires_at as Date,
  }),
  insertRow: (n) => ({
    realm: n.realm,
    subject: n.subject,
    principal: json(n.principal),
    idle_seconds: n.idleSeconds,
    last_used_at: n.lastUsedAt,
    expires_at: n.expiresAt,
  }),
  patchRow: (p) => ({ last_used_at: p.lastUsedAt }),
};
