import { Entity } from './entity';

/**
 * An IML alert a user dismissed. Alerts are derived from the domain, so a dismissal names the
 * alert by its wire id and the moment it began: the same condition arising again is a new alert.
 */
export interface LustreAlertDismissal extends Entity {
  alertId: number;
  begin: Date;
}

export interface NewLustreAlertDismissal {
  id?: string;
  alertId: number;
  begin: Date;
}

/** Dismissals are never changed, only added (or removed with the domain). */
export type LustreAlertDismissalPatch = Record<string, never>;
