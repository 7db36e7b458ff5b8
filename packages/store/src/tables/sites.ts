import { NewSite, Site } from '@rosetta/core';
import { TableDef, baseEntity, baseFields } from '../table-repository';

export const sitesTable: TableDef<Site, NewSite, Partial<Pick<Site, 'name'>>> = {
  table: 'sites',
  kind: 'site',
  fields: { ...baseFields, name: { column: 'name', type: 'string' } },
  toEntity: (r) => ({ ...baseEntity(r), name: r.name as string }),
  insertRow: (n) => ({ name: n.name }),
  patchRow: (p) => ({ name: p.name }),
};
