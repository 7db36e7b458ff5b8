import { StampedTable } from '../ports/repositories';
import { ServiceDeps } from './deps';

/** Lets a dialect cache what it derives from these tables until any process writes one of them. */
export interface ChangeService {
  /** Changes whenever one of the tables is written, by any gateway or worker on the database. */
  stamp(tables: StampedTable[]): Promise<string>;
}

export function createChangeService({ store }: ServiceDeps): ChangeService {
  return { stamp: (tables) => store.changeStamp(tables) };
}
