import { ScheduleLoad } from '@rosetta/core';
import { OmniStackSettings } from './settings';

type Limits = Pick<OmniStackSettings, 'dailyBackupRateLimit' | 'retainedBackupsLimit'>;

const percent = (value: number, limit: number): number => (limit > 0 ? Math.round((value * 100) / limit) : 0);

/** HPE's policy_schedule_report: the schedule's load beside the federation's limits, levels in percent of them. */
export function renderScheduleReport(load: ScheduleLoad, limits: Limits): Record<string, number> {
  return {
    backup_rate_level: percent(load.dailyBackupRate, limits.dailyBackupRateLimit),
    daily_backup_rate: load.dailyBackupRate,
    daily_backup_rate_limit: limits.dailyBackupRateLimit,
    projected_retained_backups: load.projectedRetainedBackups,
    projected_retained_backups_level: percent(load.projectedRetainedBackups, limits.retainedBackupsLimit),
    retained_backups_limit: limits.retainedBackupsLimit,
  };
}

/** An impact report: the schedule report before and after a proposed change. */
export function renderImpactReport(change: { before: ScheduleLoad; after: ScheduleLoad }, limits: Limits): Record<string, Record<string, number>> {
  return { schedule_before_change: renderScheduleReport(change.before, limits), schedule_after_change: renderScheduleReport(change.after, limits) };
}
