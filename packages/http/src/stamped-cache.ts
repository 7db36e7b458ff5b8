interface Entry {
  stamp: string;
  body: Promise<Buffer>;
  /** Zero while the build runs: only finished bodies count against the budget. */
  size: number;
}

/**
 * Encoded response bodies by key, each valid for the one change stamp it was built under (the
 * caller decides what a stamp covers: store tables, a microversion, the clock second). The caller
 * reads the stamp BEFORE the data, so a body is never older than its stamp says (at worst rebuilt
 * once). The caller also serializes: each vendor's JSON dialect stays in its package, and a hit
 * costs no encoding at all.
 *
 * Concurrent misses on one key under one stamp share a single build (a burst of clients after a
 * write would otherwise each render the same page); a failed build fails those callers and is not
 * kept. Bounded by the bytes held, oldest bodies leaving first; a body bigger than the whole
 * budget is served but not kept.
 */
export class StampedCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  constructor(private readonly maxBytes = 32 * 1024 * 1024) {}

  get(key: string, stamp: string, build: () => Promise<Buffer>): Promise<Buffer> {
    const hit = this.entries.get(key);
    if (hit && hit.stamp === stamp) return hit.body;
    const entry: Entry = { stamp, body: (async () => build())(), size: 0 };
    this.drop(key);
    this.entries.set(key, entry);
    entry.body.then(
      (bytes) => {
        // A newer stamp's build may have taken the key meanwhile: this body is then only its callers'.
        if (this.entries.get(key) !== entry) return;
        if (bytes.length > this.maxBytes) return void this.entries.delete(key);
        entry.size = bytes.length;
        this.bytes += bytes.length;
        for (const [old, e] of this.entries) {
          if (this.bytes <= this.maxBytes) break;
          if (e.size) this.drop(old);
        }
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return entry.body;
  }

  private drop(key: string): void {
    const old = this.entries.get(key);
    if (!old) return;
    this.entries.delete(key);
    this.bytes -= old.size;
  }
}
