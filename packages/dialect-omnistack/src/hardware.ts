import { createHash } from 'crypto';
import { Device, Host } from '@rosetta/core';

/**
 * GET /hosts/{id}/hardware: HPE's host_hardware object (Swagger host_hardware, logical_drive,
 * drive_set, physical_drive, storage_adapter, battery, accelerator_card), built from the core
 * host and its devices. Each core device is one physical drive; together they form one RAID
 * logical drive. Serial numbers, WWNs and firmware are derived from the ids, so they are stable.
 */
type Wire = Record<string, unknown>;

const MANUFACTURER = 'HPE';
const CONTROLLER = { model: 'P816i-a SR Gen10', firmware: '4.11' };
const BATTERY = { model: '875241-B21', firmware: '0.70' };
const ACCELERATOR = { model: 'OmniStack Accelerator Card', firmware: '4.3.2' };
const DRIVE_FIRMWARE = 'HPD7';

const digest = (text: string): Buffer => createHash('sha1').update(text).digest();

/** An HPE-style serial: a prefix and base-36 characters from the id. */
export const serialOf = (id: string, prefix: string, length = 10): string => {
  const n = digest(`${prefix}:${id}`).readBigUInt64BE(0);
  return (prefix + n.toString(36).toUpperCase().padStart(length, '0')).slice(0, length);
};

const wwnOf = (id: string): string => `5000c500${digest(`wwn:${id}`).toString('hex').slice(0, 8)}`;

const DEVICE_HEALTH: Record<Device['state'], { health: string; status: string }> = {
  online: { health: 'HEALTHY', status: 'GREEN' },
  offline: { health: 'OFFLINE', status: 'YELLOW' },
  failed: { health: 'FAILED', status: 'RED' },
};

/** Drive media from the device's tags (`media: hdd|ssd`); SimpliVity 380 nodes are all-flash otherwise. */
const mediaOf = (d: Device): string => (/^hdd$/i.test(String(d.tags.media ?? '')) ? 'HDD' : 'SSD');

function physicalDrive(d: Device, slot: number): Wire {
  const media = mediaOf(d);
  const { health, status } = DEVICE_HEALTH[d.state];
  return {
    additional_status: '',
    capacity: d.sizeBytes,
    drive_position: `Port=1I:Box=1:Bay=${slot}`,
    enclosure: 1,
    firmware_revision: DRIVE_FIRMWARE,
    health,
    // Flash wears with what it holds: 0 % used is a new drive.
    life_remaining: media === 'SSD' ? Math.max(0, 100 - Math.round((d.usedBytes / Math.max(1, d.sizeBytes)) * 10)) : 100,
    manufacturer: MANUFACTURER,
    media_type: media,
    model_number: media === 'SSD' ? 'VK001920GWSXK' : 'MB002000JWFVN',
    percent_rebuilt: 100,
    serial_number: d.serial ?? serialOf(d.id, 'S4', 14),
    slot,
    status,
    wwn: wwnOf(d.id),
  };
}

/**
 * RAID 5 over three or more drives (one drive's worth of parity), RAID 1 over two, the drive
 * itself alone. It survives one failed drive (DEGRADED), not two (FAILED).
 */
function logicalDrive(host: Host, devices: Device[]): Wire {
  const smallest = Math.min(...devices.map((d) => d.sizeBytes));
  const n = devices.length;
  const capacity = n >= 3 ? (n - 1) * smallest : n === 2 ? smallest : (devices[0]?.sizeBytes ?? 0);
  const failed = devices.filter((d) => d.state === 'failed').length;
  const offline = devices.filter((d) => d.state === 'offline').length;
  const tolerated = n >= 2 ? 1 : 0;
  const lost = failed + offline;
  const health = lost === 0 ? 'HEALTHY' : lost <= tolerated ? 'DEGRADED' : 'FAILED';
  const status = health === 'HEALTHY' ? 'GREEN' : health === 'DEGRADED' ? 'YELLOW' : 'RED';
  const serial = serialOf(host.id, 'PEYHB', 14);
  return {
    cache_state: 'ENABLED',
    capacity,
    drive_sets: [
      {
        drive_number: 1,
        firmware_revision: CONTROLLER.firmware,
        health,
        manufacturer: MANUFACTURER,
        model_number: CONTROLLER.model,
        physical_drives: devices.map((d, i) => physicalDrive(d, i + 1)),
        serial_number: serial,
        status,
      },
    ],
    firmware_revision: CONTROLLER.firmware,
    health,
    manufacturer: MANUFACTURER,
    model_number: CONTROLLER.model,
    name: 1,
    serial_number: serial,
    status,
  };
}

const worst = (statuses: string[]): string => (statuses.includes('RED') ? 'RED' : statuses.includes('YELLOW') ? 'YELLOW' : 'GREEN');

export function renderHostHardware(host: Host, devices: Device[]): Wire {
  const drives = devices.length ? [logicalDrive(host, devices)] : [];
  const hostStatus = host.state === 'down' ? 'RED' : host.state === 'maintenance' ? 'YELLOW' : 'GREEN';
  // The card runs warmer under load; a host that is off is at room temperature.
  const temperature = host.power === 'on' ? 40 + (digest(`temp:${host.id}`)[0] % 15) : 22;
  return {
    name: host.name,
    host_id: host.id,
    serial_number: host.serial ?? serialOf(host.id, 'CZJ'),
    manufacturer: MANUFACTURER,
    model_number: host.model ?? 'HPE SimpliVity 380 Gen10',
    firmware_revision: 'U30 v2.76',
    status: worst([hostStatus, ...drives.map((d) => String(d.status))]),
    raid_card: {
      firmware_revision: CONTROLLER.firmware,
      has_bbu: 'true',
      manufacturer: MANUFACTURER,
      model_number: CONTROLLER.model,
      product_name: `HPE Smart Array ${CONTROLLER.model}`,
      serial_number: serialOf(host.id, 'PEYHB', 14),
      status: 'GREEN',
    },
    battery: {
      firmware_revision: BATTERY.firmware,
      health: 'HEALTHY',
      manufacturer: MANUFACTURER,
      // Made some months before the host joined the federation.
      manufacturing_date: new Date(host.createdAt.getTime() - (90 + (digest(`bbu:${host.id}`)[0] % 180)) * 86_400_000).toISOString().slice(0, 10),
      model_number: BATTERY.model,
      percent_charged: host.power === 'on' ? 100 : 95,
      serial_number: serialOf(host.id, '6EZBP', 14),
      status: 'GREEN',
    },
    accelerator_card: {
      firmware_revision: ACCELERATOR.firmware,
      model_number: ACCELERATOR.model,
      serial_number: serialOf(host.id, 'OAC', 12),
      status: hostStatus === 'RED' ? 'UNKNOWN' : 'GREEN',
      temperature,
    },
    logical_drives: drives,
  };
}
