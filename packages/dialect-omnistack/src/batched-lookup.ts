/**
 * Looks rows up by id for many concurrent requests with one query. Clients poll their open tasks
 * in bursts (every open task, every second or so): the ids asked while a query is in flight wait
 * for the next one, which takes them all, so no caller is answered from a read that began before
 * it asked (the rule of core's coalescedReads), and a burst of polls costs a query or two.
 */
export function batchedLookup<T extends { id: string }>(read: (ids: string[]) => Promise<T[]>, max = 500): (id: string) => Promise<T | undefined> {
  type Waiter = { resolve: (row: T | undefined) => void; reject: (err: unknown) => void };
  const waiting = new Map<string, Waiter[]>();
  let busy = false;

  const flush = async (): Promise<void> => {
    while (waiting.size > 0) {
      const ids = [...waiting.keys()].slice(0, max);
      const batch = ids.map((id) => [id, waiting.get(id)!] as const);
      for (const id of ids) waiting.delete(id);
      try {
        const rows = new Map((await read(ids)).map((r) => [r.id, r]));
        for (const [id, waiters] of batch) for (const w of waiters) w.resolve(rows.get(id));
      } catch (err) {
        for (const [, waiters] of batch) for (const w of waiters) w.reject(err);
      }
    }
    busy = false;
  };

  return (id) =>
    new Promise<T | undefined>((resolve, reject) => {
      const list = waiting.get(id);
      if (list) list.push({ resolve, reject });
      else waiting.set(id, [{ resolve, reject }]);
      if (!busy) {
        busy = true;
        // Let the rest of this burst of requests join the first query.
        setImmediate(() => void flush());
      }
    });
}
