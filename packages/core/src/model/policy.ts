import { Entity } from './entity';

export interface PolicyRule {
  id: string;
  frequencyMinutes: number;
  retentionMinutes: number;
  destination: string;
  consistency: string;
}

export interface Policy extends Entity {
  name: string;
  rules: PolicyRule[];
}

export interface NewPolicy {
  id?: string;
  name: string;
  rules?: PolicyRule[];
}

export type PolicyPatch = Partial<Pick<Policy, 'name' | 'rules'>>;
