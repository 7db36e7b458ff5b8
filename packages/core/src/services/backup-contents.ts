import { createHash } from 'crypto';
import { CoreError, notFound } from '../errors';
import { Backup } from '../model/backup';

/**
 * What a backup holds, as file-level restore browses it: the VM's virtual disks, their
 * partitions and the files on them. The core keeps no guest file system, so the contents are a
 * pure function of the backup (its VM's name, size and time): the same backup always shows the
 * same tree, two backups of one VM show the same files with their own times, and nothing is
 * stored. The guest is Windows when the VM's name says so (or, failing that, for one VM in
 * three by a hash of the name), Linux otherwise.
 */
export type BackupSource = Pick<Backup, 'id' | 'sizeBytes' | 'createdAt'> & { vmName?: string | null };

export interface BackupDisk {
  name: string;
  sizeBytes: number;
}

export interface BackupPartition {
  number: number;
  sizeBytes: number;
  /** Partition table kind: 'BIOS' (MBR) or 'GPT'. */
  diskType: 'BIOS' | 'GPT';
  /** Only file systems file-level restore can read (ext4, NTFS) mount; swap, EFI, MSR do not. */
  mountable: boolean;
  filesystem: string;
}

export interface BackupFile {
  name: string;
  directory: boolean;
  symbolicLink: boolean;
  sizeBytes: number;
  modifiedAt: Date;
  /** Regular files and directories can be restored; links cannot. */
  restorable: boolean;
}

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const DAY_S = 86_400;

const hashOf = (text: string): number => createHash('sha1').update(text).digest().readUInt32BE(0);

const vmNameOf = (b: BackupSource): string => b.vmName || `vm-${b.id.slice(0, 8)}`;

const isWindows = (b: BackupSource): boolean => {
  const name = vmNameOf(b);
  return /win|sql|exchange|ad-?\d/i.test(name) || (!/linux|ubuntu|rhel|centos|debian|web|db|cache|batch/i.test(name) && hashOf(name) % 3 === 0);
};

export function backupDisks(b: BackupSource): BackupDisk[] {
  return b.sizeBytes > 0 ? [{ name: `${vmNameOf(b)}.vmdk`, sizeBytes: b.sizeBytes }] : [];
}

type Role = 'linux-boot' | 'linux-root' | 'windows-recovery' | 'windows-system' | 'none';

interface Layout extends BackupPartition {
  role: Role;
}

/** The disk's partitions, largest role last: boot / root / swap on Linux, recovery / EFI / MSR / C: on Windows. */
function layout(b: BackupSource, size: number): Layout[] {
  if (isWindows(b)) {
    const recovery = Math.min(499 * MiB, Math.floor(size / 16));
    const efi = Math.min(100 * MiB, Math.floor(size / 32));
    const msr = Math.min(16 * MiB, Math.floor(size / 64));
    return [
      { number: 1, sizeBytes: recovery, diskType: 'GPT', mountable: true, filesystem: 'NTFS', role: 'windows-recovery' },
      { number: 2, sizeBytes: efi, diskType: 'GPT', mountable: false, filesystem: 'FAT32', role: 'none' },
      { number: 3, sizeBytes: msr, diskType: 'GPT', mountable: false, filesystem: 'MSR', role: 'none' },
      { number: 4, sizeBytes: size - recovery - efi - msr, diskType: 'GPT', mountable: true, filesystem: 'NTFS', role: 'windows-system' },
    ];
  }
  const boot = Math.min(GiB, Math.floor(size / 8));
  const swap = Math.min(2 * GiB, Math.floor(size / 8));
  return [
    { number: 1, sizeBytes: boot, diskType: 'BIOS', mountable: true, filesystem: 'ext4', role: 'linux-boot' },
    { number: 2, sizeBytes: size - boot - swap, diskType: 'BIOS', mountable: true, filesystem: 'ext4', role: 'linux-root' },
    { number: 3, sizeBytes: swap, diskType: 'BIOS', mountable: false, filesystem: 'swap', role: 'none' },
  ];
}

const diskOf = (b: BackupSource, disk: string): BackupDisk => {
  const found = backupDisks(b).find((d) => d.name === disk);
  if (!found) throw notFound('virtual_disk', disk);
  return found;
};

export function backupPartitions(b: BackupSource, disk: string): BackupPartition[] {
  return layout(b, diskOf(b, disk).sizeBytes).map(({ role: _role, ...p }) => p);
}

/** A directory tree: a string is a regular file, a `->` prefix a symbolic link, an object a directory. */
type Tree = { [name: string]: Tree | string };

/** A directory named after the VM (its application's folder). */
const named = (vm: string, contents: Tree): Tree => ({ [vm]: contents });

const TREES: Record<Exclude<Role, 'none'>, (vm: string) => Tree> = {
  'linux-boot': () => ({
    grub: { 'grub.cfg': 'f', fonts: { 'unicode.pf2': 'f' }, 'grubenv': 'f' },
    'config-5.15.0-91-generic': 'f',
    'initrd.img-5.15.0-91-generic': 'f',
    'System.map-5.15.0-91-generic': 'f',
    'vmlinuz-5.15.0-91-generic': 'f',
    vmlinuz: '->vmlinuz-5.15.0-91-generic',
  }),
  'linux-root': (vm) => ({
    bin: '->usr/bin',
    boot: {},
    etc: { hostname: 'f', hosts: 'f', fstab: 'f', passwd: 'f', group: 'f', 'os-release': '->../usr/lib/os-release', ssh: { sshd_config: 'f' } },
    home: { svtuser: { '.bashrc': 'f', '.profile': 'f', 'notes.txt': 'f' } },
    lib: '->usr/lib',
    opt: named(vm, { 'app.conf': 'f', data: { 'records.db': 'f' } }),
    root: { '.bashrc': 'f' },
    tmp: {},
    usr: { bin: { bash: 'f', ls: 'f', python3: 'f' }, lib: { 'os-release': 'f' }, share: { doc: {} } },
    var: { log: { syslog: 'f', 'auth.log': 'f', 'kern.log': 'f' }, lib: {}, tmp: {} },
  }),
  'windows-recovery': () => ({ Recovery: { WindowsRE: { 'Winre.wim': 'f', 'ReAgent.xml': 'f' } } }),
  'windows-system': (vm) => ({
    'Program Files': { Common: {}, ...named(vm, { 'service.exe': 'f', 'service.config': 'f' }) },
    'Program Files (x86)': {},
    ProgramData: { Microsoft: {} },
    Users: { Administrator: { Desktop: { 'readme.txt': 'f' }, Documents: { 'report.docx': 'f', 'budget.xlsx': 'f' } }, Public: {} },
    Windows: { System32: { drivers: { etc: { hosts: 'f' } }, 'kernel32.dll': 'f', 'ntdll.dll': 'f' }, Temp: {}, 'explorer.exe': 'f' },
    'pagefile.sys': 'f',
    'Documents and Settings': '->C:\\Users',
  }),
};

/** Sizes and times are hashes of the path: the same for every backup of the VM except the times, which end at the backup's. */
function entry(b: BackupSource, path: string, name: string, node: Tree | string): BackupFile {
  const h = hashOf(`${vmNameOf(b)}:${path}`);
  const link = typeof node === 'string' && node.startsWith('->');
  const directory = typeof node === 'object';
  const size = directory ? 4096 : link ? (node as string).length - 2 : name === 'pagefile.sys' ? 2 * GiB : 512 + (h % (64 * MiB));
  // Logs and data change up to the backup; everything else sometime in the 90 days before it.
  const recent = /log|db|records|notes|report|budget|syslog/i.test(name);
  const ageSeconds = recent ? h % 3600 : h % (90 * DAY_S);
  const modifiedAt = new Date(Math.floor(b.createdAt.getTime() / 1000 - ageSeconds) * 1000);
  return { name, directory, symbolicLink: link, sizeBytes: size, modifiedAt, restorable: !link };
}

function treeOf(b: BackupSource, disk: string, partition: number): Tree {
  const found = layout(b, diskOf(b, disk).sizeBytes).find((p) => p.number === partition);
  if (!found) throw notFound('partition', String(partition));
  if (found.role === 'none') {
    throw new CoreError('INVALID_STATE', `partition ${partition} of ${disk} holds no file system file-level restore can read (${found.filesystem})`, {
      kind: 'partition',
      id: String(partition),
      state: 'not_mountable',
    });
  }
  return TREES[found.role](vmNameOf(b));
}

const segments = (path: string): string[] => path.split(/[\\/]+/).filter(Boolean);

/** The entries of a directory ('/' is the partition's root), sorted by name. */
export function backupFiles(b: BackupSource, disk: string, partition: number, path: string): BackupFile[] {
  let node: Tree | string = treeOf(b, disk, partition);
  const walked: string[] = [];
  for (const part of segments(path)) {
    if (typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, part)) throw notFound('file', `/${[...walked, part].join('/')}`);
    node = node[part];
    walked.push(part);
  }
  if (typeof node !== 'object') {
    throw new CoreError('VALIDATION', `${path} is not a directory`, { reason: 'bad_param', fields: [{ field: 'file_path', problem: 'is not a directory' }] });
  }
  const dir = node;
  return Object.keys(dir)
    .sort()
    .map((name) => entry(b, `${disk}/${partition}/${[...walked, name].join('/')}`, name, dir[name]));
}

/** A restore path `disk.vmdk/partition/path/to/file`, or undefined when the backup holds no such entry. */
export function findBackupFile(b: BackupSource, path: string): BackupFile | undefined {
  const [disk, partition, ...rest] = segments(path);
  if (!disk || !/^\d+$/.test(partition ?? '') || rest.length === 0) return undefined;
  const name = rest.pop()!;
  try {
    return backupFiles(b, disk, Number(partition), rest.join('/')).find((f) => f.name === name);
  } catch {
    return undefined;
  }
}
