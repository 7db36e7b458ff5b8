import { Entity } from './entity';

/** A named group of hosts with metadata (Nova host aggregate); hosts may belong to many. */
export interface HostAggregate extends Entity {
  name: string;
  availabilityZone: string | null;
  metadata: Record<string, string>;
  hostIds: string[];
}

export interface NewHostAggregate {
  id?: string;
  name: string;
  availabilityZone?: string | null;
  metadata?: Record<string, string>;
}

export type HostAggregatePatch = Partial<Pick<HostAggregate, 'name' | 'availabilityZone' | 'metadata'>>;
