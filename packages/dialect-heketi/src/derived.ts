import { Services, coalescedReads } from '@rosetta/core';

type StampedTable = Parameters<Services['changes']['stamp']>[0][number];

/**
 * Encoded bodies reused until the store's change stamp over the tables they are computed from
 * moves (a write by any gateway or worker). The stamp is read before the data, so a body built
 * from data newer than its stamp is at worst rebuilt once, never served stale; concurrent
 * requests share one stamp read, which is what keeps a hot GET at a single cheap round trip.
 */
export class StampedBodies {
  private readonly stamp: () => Promise<string>;
  private key = '';
  private readonly bodies = new Map<string, Promise<string>>();

  constructor(services: Services, tables: StampedTable[], private readonly capacity = 4096) {
    this.stamp = coalescedReads(() => services.changes.stamp(tables));
  }

  async get(id: string, build: () => Promise<string>): Promise<string> {
    const stamp = await this.stamp();
    if (stamp !== this.key) {
      this.key = stamp;
      this.bodies.clear();
    }
    let body = this.bodies.get(id);
    if (!body) {
      body = build();
      // Failures (404 for an unknown or pending id) are answered, not remembered.
      body.catch(() => this.bodies.delete(id));
      if (this.bodies.size >= this.capacity) this.bodies.delete(this.bodies.keys().next().value as string);
      this.bodies.set(id, body);
    }
    return body;
  }
}
