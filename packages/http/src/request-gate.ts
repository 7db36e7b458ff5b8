import { RequestHandler } from 'express';

/**
 * Lets one operation (a snapshot restore) run while no dialect request of this process is in
 * flight: new requests wait at the gate, the operation waits for in-flight ones to finish (up
 * to `drainMs`; the database's table locks still keep each statement consistent after that).
 */
export interface RequestGate {
  middleware(): RequestHandler;
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
}

export function createRequestGate(drainMs = 5_000): RequestGate {
  let inFlight = 0;
  let closed: Promise<void> | undefined;
  let drained: (() => void) | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  const leave = (): void => {
    inFlight--;
    if (inFlight === 0) drained?.();
  };

  return {
    middleware() {
      return (_req, res, next) => {
        const enter = (): void => {
          inFlight++;
          let left = false;
          const once = (): void => {
            if (left) return;
            left = true;
            leave();
          };
          res.once('finish', once);
          res.once('close', once);
          next();
        };
        if (closed) closed.then(enter, enter);
        else enter();
      };
    },
    exclusive<T>(fn: () => Promise<T>): Promise<T> {
      const run = async (): Promise<T> => {
        let open!: () => void;
        closed = new Promise((resolve) => (open = resolve));
        try {
          if (inFlight > 0) {
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, drainMs);
              drained = () => {
                clearTimeout(timer);
                resolve();
              };
            });
          }
          return await fn();
        } finally {
          drained = undefined;
          closed = undefined;
          open();
        }
      };
      const result = queue.then(run, run);
      queue = result.catch(() => undefined);
      return result;
    },
  };
}
