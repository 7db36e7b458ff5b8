import { backupDisks, backupFiles, backupPartitions, findBackupFile } from './backup-contents';
import { ruleDailyRate, ruleRetained } from './backup-impact';
import { PolicyRule } from '../model/policy';

const GiB = 1024 ** 3;
const at = new Date('2026-03-13T21:03:46Z');
const linux = { id: 'b1b1b1b1-0000-4000-8000-000000000001', sizeBytes: 40 * GiB, createdAt: at, vmName: 'web-01' };
const windows = { ...linux, vmName: 'win-sql-01' };

describe('backup contents', () => {
  it('names one disk after the VM, none for a diskless one', () => {
    expect(backupDisks(linux)).toEqual([{ name: 'web-01.vmdk', sizeBytes: 40 * GiB }]);
    expect(backupDisks({ ...linux, sizeBytes: 0 })).toEqual([]);
  });

  it.each([
    [linux, 'web-01.vmdk', [[1, GiB, 'BIOS', true], [2, 37 * GiB, 'BIOS', true], [3, 2 * GiB, 'BIOS', false]]],
    [windows, 'win-sql-01.vmdk', [[1, 499 * 1024 ** 2, 'GPT', true], [2, 100 * 1024 ** 2, 'GPT', false], [3, 16 * 1024 ** 2, 'GPT', false], [4, 40 * GiB - 615 * 1024 ** 2, 'GPT', true]]],
  ])('partitions %o', (b, disk, expected) => {
    const parts = backupPartitions(b, disk as string);
    expect(parts.map((p) => [p.number, p.sizeBytes, p.diskType, p.mountable])).toEqual(expected);
    expect(parts.reduce((n, p) => n + p.sizeBytes, 0)).toBe(40 * GiB);
  });

  it('lists directories sorted, with stable sizes and times no later than the backup', () => {
    const root = backupFiles(linux, 'web-01.vmdk', 2, '/');
    expect(root.map((f) => f.name)).toEqual(['bin', 'boot', 'etc', 'home', 'lib', 'opt', 'root', 'tmp', 'usr', 'var']);
    expect(root.find((f) => f.name === 'bin')).toMatchObject({ symbolicLink: true, restorable: false, directory: false });
    expect(backupFiles(linux, 'web-01.vmdk', 2, 'opt').map((f) => f.name)).toEqual(['web-01']);
    for (const f of backupFiles(linux, 'web-01.vmdk', 2, '/etc')) expect(f.modifiedAt.getTime()).toBeLessThanOrEqual(at.getTime());
    expect(backupFiles(linux, 'web-01.vmdk', 2, '/etc')).toEqual(backupFiles(linux, 'web-01.vmdk', 2, 'etc/'));
  });

  it('finds restore paths, and nothing for links, dirs of other disks or bad partitions', () => {
    expect(findBackupFile(linux, 'web-01.vmdk/2/etc/hostname')).toMatchObject({ name: 'hostname', directory: false });
    expect(findBackupFile(linux, 'web-01.vmdk/2/etc/nope')).toBeUndefined();
    expect(findBackupFile(linux, 'other.vmdk/2/etc/hostname')).toBeUndefined();
    expect(findBackupFile(linux, 'web-01.vmdk/x/etc/hostname')).toBeUndefined();
    expect(findBackupFile(linux, 'web-01.vmdk/3/anything')).toBeUndefined();
    expect(findBackupFile(windows, 'win-sql-01.vmdk/4/Users/Administrator/Documents/report.docx')).toMatchObject({ restorable: true });
  });
});

describe('schedule load of one rule', () => {
  const rule = (r: Partial<PolicyRule>): PolicyRule => ({ id: 'r', frequencyMinutes: 60, retentionMinutes: 1440, destination: 'local', consistency: 'none', ...r });
  it.each([
    [{}, 24, 24],
    [{ frequencyMinutes: 30, retentionMinutes: 10080 }, 48, 336],
    [{ startTime: '08:00', endTime: '18:00' }, 10, 10],
    [{ frequencyMinutes: 1440, retentionMinutes: 43200 }, 1, 30],
    [{ days: 'Mon,Fri' }, (24 * 104) / 365, 7],
    [{ maxBackups: 5 }, 24, 5],
    [{ frequencyMinutes: 0 }, 0, 0],
  ])('%o takes %d a day and keeps %d', (patch, rate, kept) => {
    expect(ruleDailyRate(rule(patch))).toBeCloseTo(rate as number, 6);
    expect(ruleRetained(rule(patch))).toBe(kept);
  });
});
