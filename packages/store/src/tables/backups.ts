import { Backup, BackupPatch, NewBackup } from '@rosetta/core';
import { TableDef, baseFields } from '../table-repository';

export const backupsTable: TableDef<Backup, NewBackup, BackupPatch> = {
  table: 'backups',
  kind: 'backup',
  fields: {
    ...baseFields,
    vmId: { column: 'vm_id', type: 'uuid' },
    datastoreId: { column: 'datastore_id', type: 'uuid' },
    name: { column: 'name', type: 'string' },
    state: { column: 'state', type: 'string' },
    sizeBytes: { column: 'size_bytes', type: 'number' },
    expiresAt: { column: 'expires_at', type: 'date' },
    trigger: { column: 'trigger', type: 'string' },
    appConsistent: { column: 'app_consistent', type: 'boolean' },
    consistency: { column: 'consistency', type: 'string' },
    locked: { column: 'locked', type: 'boolean' },
    uniqueSizeBytes: { column: 'unique_size_bytes', type: 'number' },
    uniqueSizeAt: { column: 'unique_size_at', type: 'date' },
    externalStoreName: { column: 'external_store_name', type: 'string' },
  },
  toEntity: (r) => ({
    // Spelled out, not spread: V8 builds `{ ...base, more }` rows some 100x slower, and list
    // pages hydrate hundreds of these per request.
    id: r.id as string,
    seq: r.seq as number,
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
    vmId: (r.vm_id as string | null) ?? null,
    datastoreId: (r.datastore_id as string | null) ?? null,
    name: r.name as string,
    state: r.state as Backup['state'],
    sizeBytes: r.size_bytes as number,
    expiresAt: (r.expires_at as Date | null) ?? null,
    trigger: r.trigger as Backup['trigger'],
    appConsistent: r.app_consistent as boolean,
    consistency: r.consistency as string,
    locked: r.locked as boolean,
    uniqueSizeBytes: (r.unique_size_bytes as number | null) ?? null,
    uniqueSizeAt: (r.unique_size_at as Date | null) ?? null,
    vmName: (r.vm_name as string | null) ?? null,
    externalStoreName: (r.external_store_name as string | null) ?? null,
  }),
  insertRow: (n) => ({ vm_id: n.vmId, datastore_id: n.datastoreId, name: n.name, state: n.state, size_bytes: n.sizeBytes, expires_at: n.expiresAt,
    trigger: n.trigger, app_consistent: n.appConsistent, consistency: n.consistency, locked: n.locked, created_at: n.createdAt, vm_name: n.vmName, external_store_name: n.externalStoreName }),
  patchRow: (p) => ({ name: p.name, state: p.state, size_bytes: p.sizeBytes, expires_at: p.expiresAt, locked: p.locked, unique_size_bytes: p.uniqueSizeBytes, unique_size_at: p.uniqueSizeAt }),
};
