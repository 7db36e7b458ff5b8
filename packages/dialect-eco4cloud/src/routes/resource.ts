import { Services } from '@rosetta/core';
import { SetSpec } from '../parse';

export interface Paging {
  limit?: number;
  offset?: number;
}

/** One appliance entity: its get filters and rows, and (if settable) its set parameters. */
export interface Resource {
  /** Lower-cased filter names the entity's get accepts. */
  filters: readonly string[];
  list(services: Services, filters: Map<string, string>, paging: Paging): Promise<Record<string, unknown>[]>;
  /** The whole encoded response, when the entity keeps it for this query; undefined: use list. */
  cachedBody?(services: Services, filters: Map<string, string>, paging: Paging): Promise<Buffer | undefined>;
  set?: SetSpec;
}
