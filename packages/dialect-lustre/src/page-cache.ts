import { TastypieReply } from './tastypie';
import { pythonJson } from './wire-json';

interface Entry {
  stamp: string;
  json: Buffer;
}

/**
 * Serialised list pages by URL, valid while the domain's change stamp stays put. Bounded by the
 * bytes held (a 1,000-target page is about 2 MB), oldest entries leaving first.
 */
export class PageCache {
  private readonly entries = new Map<string, Entry>();
  private readonly rendering = new Map<string, { stamp: string; result: Promise<Buffer | TastypieReply> }>();
  private bytes = 0;

  constructor(private readonly maxBytes = 32 * 1024 * 1024) {}

  async serve(key: string, stamp: () => Promise<string>, render: () => Promise<TastypieReply>): Promise<TastypieReply> {
    // The stamp is read before the rows, so a page stored under it is never older than the stamp says.
    const current = await stamp();
    const hit = this.entries.get(key);
    if (hit && hit.stamp === current) return PageCache.reply(hit.json);
    // Concurrent misses on one page under one stamp share a single render: a burst of clients after a
    // change would otherwise each build the same 1,000-target page.
    const pending = this.rendering.get(key);
    const shared = pending && pending.stamp === current ? pending.result : this.renderOnce(key, current, render);
    const result = await shared;
    return Buffer.isBuffer(result) ? PageCache.reply(result) : result;
  }

  /** Renders a page and stores it serialised; an answer that is not a page comes back as it is. */
  private renderOnce(key: string, current: string, render: () => Promise<TastypieReply>): Promise<Buffer | TastypieReply> {
    const result = (async () => {
      const reply = await render();
      if (reply.status !== 200 || reply.body === undefined || typeof reply.body === 'string' || Buffer.isBuffer(reply.body)) return reply;
      const json = Buffer.from(pythonJson(reply.body), 'utf8');
      this.put(key, { stamp: current, json });
      return json;
    })();
    const entry = { stamp: current, result };
    this.rendering.set(key, entry);
    const done = (): void => {
      if (this.rendering.get(key) === entry) this.rendering.delete(key);
    };
    result.then(done, done);
    return result;
  }

  private put(key: string, entry: Entry): void {
    this.drop(key);
    if (entry.json.length > this.maxBytes) return;
    this.entries.set(key, entry);
    this.bytes += entry.json.length;
    for (const oldest of this.entries.keys()) {
      if (this.bytes <= this.maxBytes) break;
      this.drop(oldest);
    }
  }

  private drop(key: string): void {
    const old = this.entries.get(key);
    if (!old) return;
    this.entries.delete(key);
    this.bytes -= old.json.length;
  }

  private static reply(json: Buffer): TastypieReply {
    return new TastypieReply(200, json, { 'Content-Type': 'application/json' });
  }
}
