import { ruleRunsOn, ruleSlots } from './backup-schedule';
import { PolicyRule } from '../model/policy';

const rule = (r: Partial<PolicyRule>): PolicyRule => ({ id: 'r', frequencyMinutes: 60, retentionMinutes: 0, destination: 'local', consistency: 'none', ...r });
const at = (iso: string) => new Date(iso);
const iso = (ds: Date[]) => ds.map((d) => d.toISOString().slice(0, 16));

describe('policy rule schedule', () => {
  it.each([
    ['all', '2026-12-01', true],
    ['Mon,Fri', '2026-12-04', true],
    ['Mon,Fri', '2026-12-01', false],
    ['1,15', '2026-12-15', true],
    ['last', '2026-12-31', true],
    ['last', '2026-12-30', false],
  ])('days %s on %s -> %s', (days, day, expected) => {
    expect(ruleRunsOn({ days }, at(`${day}T00:00:00Z`))).toBe(expected);
  });

  it('fires every frequency minutes inside the window', () => {
    const slots = ruleSlots(rule({ frequencyMinutes: 120, startTime: '08:00', endTime: '14:00' }), at('2026-12-01T00:00:00Z'), at('2026-12-01T23:59:00Z'));
    expect(iso(slots)).toEqual(['2026-12-01T08:00', '2026-12-01T10:00', '2026-12-01T12:00']);
  });

  it('fires once a day for daily rules, all day when start equals end', () => {
    expect(iso(ruleSlots(rule({ frequencyMinutes: 1440, startTime: '22:30', endTime: '22:30' }), at('2026-12-01T00:00:00Z'), at('2026-12-03T00:00:00Z')))).toEqual([
      '2026-12-01T22:30',
      '2026-12-02T22:30',
    ]);
    expect(ruleSlots(rule({ frequencyMinutes: 60 }), at('2026-12-01T00:00:00Z'), at('2026-12-01T23:59:00Z'))).toHaveLength(24);
  });

  it('has no slots for a zero frequency or an empty range', () => {
    expect(ruleSlots(rule({ frequencyMinutes: 0 }), at('2026-12-01T00:00:00Z'), at('2026-12-02T00:00:00Z'))).toEqual([]);
    expect(ruleSlots(rule({}), at('2026-12-02T00:00:00Z'), at('2026-12-01T00:00:00Z'))).toEqual([]);
  });
});
