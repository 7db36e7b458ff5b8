import { Entity } from './entity';

export interface PolicyRule {
  id: string;
  frequencyMinutes: number;
  retentionMinutes: number;
  destination: string;
  consistency: string;
  /** Schedule window: 'all', 'last', weekday names ('Mon,Fri') or days of month ('1,15'). */
  days?: string;
  /** 'HH:MM' in the cluster's time zone; the rule fires every frequencyMinutes inside the window. */
  startTime?: string;
  endTime?: string;
  /** Most backups the rule keeps per object; 0 means no cap beyond retention. */
  maxBackups?: number;
  appConsistent?: boolean;
  externalStoreName?: string | null;
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
