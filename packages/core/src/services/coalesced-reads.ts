/**
 * Shares stamp reads between concurrent callers without ever answering one from a read that began
 * before it asked (which could predate a write it already saw committed): a caller arriving while a
 * read is in flight waits for the next read, which every such caller shares.
 */
export function coalescedReads(read: () => Promise<string>): () => Promise<string> {
  let inFlight: Promise<string> | null = null;
  let next: Promise<string> | null = null;
  const start = (): Promise<string> => {
    const p = read().finally(() => {
      if (inFlight === p) inFlight = null;
    });
    inFlight = p;
    return p;
  };
  return () => {
    if (!inFlight) return start();
    if (!next) {
      next = inFlight
        .catch(() => undefined)
        .then(() => {
          next = null;
          return start();
        });
    }
    return next;
  };
}
