import { Response } from 'express';

/**
 * Serialized response bodies keyed by a change stamp plus whatever else shapes them (microversion,
 * clock second). A key is computed from a stamp read BEFORE the data, so a body built from data
 * newer than its stamp is at worst recomputed once, never served stale.
 */
export class DerivedCache {
  private readonly bodies = new Map<string, Promise<Buffer>>();

  constructor(private readonly capacity = 16) {}

  async send(res: Response, key: string, build: () => Promise<unknown>): Promise<void> {
    let body = this.bodies.get(key);
    if (!body) {
      // Kept encoded: a hit costs no serialization and no UTF-8 encoding of a body of hundreds of KB.
      body = build().then((value) => Buffer.from(JSON.stringify(value), 'utf8'));
      // Concurrent requests for one key share a single build; a failed build is not kept.
      body.catch(() => this.bodies.delete(key));
      if (this.bodies.size >= this.capacity) this.bodies.delete(this.bodies.keys().next().value as string);
      this.bodies.set(key, body);
    }
    const bytes = await body;
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.send(bytes);
  }
}
