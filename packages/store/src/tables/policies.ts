import { NewPolicy, Policy, PolicyPatch, PolicyRule } from '@rosetta/core';
import { TableDef, entity, baseFields, json } from '../table-repository';

export const policiesTable: TableDef<Policy, NewPolicy, PolicyPatch> = {
  table: 'policies',
  kind: 'policy',
  fields: { ...baseFields, name: { column: 'name', type: 'string' } },
  toEntity: (r) => entity(r, { name: r.name as string, rules: r.rules as PolicyRule[] }),
  insertRow: (n) => ({ name: n.name, rules: n.rules && json(n.rules) }),
  patchRow: (p) => ({ name: p.name, rules: p.rules && json(p.rules) }),
};
