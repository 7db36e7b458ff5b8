import { NewSite, Site } from '@rosetta/core';
import { TableDef, entity, baseFields } from '../table-repository';

export const sitesTable: TableDef<Site, NewSite, Partial<Pick<Site, 'name'>>> = {
  table: 'sites',
  kind: 'site',
  fields: { ...baseFields, name: { column: 'name', type: 'string' } },
  toEntity: (r) => entity(r, { name: r.name as string }),
  insertRow: (n) => ({ name: n.name }),
  patchRow: (p) => ({ name: p.name }),
};
