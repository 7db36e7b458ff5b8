import { Services, coalescedReads } from '@rosetta/core';

type StampedTable = Parameters<Services['changes']['stamp']>[0][number];

/**
 * What every VM row is computed from: the VMs and the parents they name. A write to any of these
 * tables by any gateway or worker moves the stamp and drops everything cached under it.
 */
export const VM_TABLES: StampedTable[] = ['sites', 'clusters', 'hosts', 'datastores', 'policies', 'vms'];

const stamps = new WeakMap<Services, () => Promise<string>>();

/**
 * The change stamp over VM_TABLES, read once per burst: a read always starts after the caller
 * asked (coalescedReads), so a write that finished before a request is always seen by it.
 */
export function vmStamp(services: Services): Promise<string> {
  let read = stamps.get(services);
  if (!read) stamps.set(services, (read = coalescedReads(() => services.changes.stamp(VM_TABLES))));
  return read();
}

/**
 * Encoded response bodies reused while the stamp stands still: the same request over the same
 * data gives the same bytes (nothing in these bodies depends on the clock or the caller). The
 * stamp is read before the data, so a body is never older than the stamp it is filed under.
 * Failed builds (404, 400) are answered, not remembered. Bounded by total size, oldest first.
 */
export class StampedBodies {
  private key = '';
  private readonly bodies = new Map<string, Promise<string>>();
  private readonly sizes = new Map<string, number>();
  private bytes = 0;

  constructor(
    private readonly services: Services,
    private readonly maxBytes = 64 * 1024 * 1024,
  ) {}

  async get(id: string, build: () => Promise<string>): Promise<string> {
    const key = await vmStamp(this.services);
    if (key !== this.key) {
      this.key = key;
      this.bodies.clear();
      this.sizes.clear();
      this.bytes = 0;
    }
    const cached = this.bodies.get(id);
    if (cached) return cached;
    const body = build();
    this.bodies.set(id, body);
    body.then(
      (text) => {
        if (this.bodies.get(id) !== body) return;
        this.sizes.set(id, text.length);
        this.bytes += text.length;
        for (const [old, size] of this.sizes) {
          if (this.bytes <= this.maxBytes) break;
          this.bodies.delete(old);
          this.sizes.delete(old);
          this.bytes -= size;
        }
      },
      () => {
        if (this.bodies.get(id) === body) this.bodies.delete(id);
      },
    );
    return body;
  }
}
