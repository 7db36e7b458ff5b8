import { Entity } from './entity';

/** A management domain: OmniStack federation, Eco4Cloud Farm, Nova region, IML manager. */
export interface Site extends Entity {
  name: string;
}

export interface NewSite {
  id?: string;
  name: string;
}
