import { LustreAlertDismissal, LustreAlertDismissalPatch, NewLustreAlertDismissal } from '@rosetta/core';
import { TableDef, entity, baseFields } from '../table-repository';

export const lustreAlertDismissalsTable: TableDef<LustreAlertDismissal, NewLustreAlertDismissal, LustreAlertDismissalPatch> = {
  table: 'lustre_alert_dismissals',
  kind: 'alert_dismissal',
  fields: { ...baseFields, alertId: { column: 'alert_id', type: 'number' }, begin: { column: 'begin', type: 'date' } },
  toEntity: (r) => entity(r, { alertId: Number(r.alert_id), begin: r.begin as Date }),
  insertRow: (n) => ({ alert_id: n.alertId, begin: n.begin }),
  patchRow: () => ({}),
};
