import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api';

export interface Fetched<T> {
  data: T | undefined;
  error: string | null;
  reload(): void;
}

/**
 * GET a control-API path and keep the answer; re-read whenever `path` or `stamp` changes (a stamp
 * from the live stream). The previous answer stays on screen while the next one loads.
 */
export function useFetch<T>(path: string | null, stamp: unknown = 0): Fetched<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [nonce, setNonce] = useState(0);
  const lastPath = useRef<string | null>(null);

  useEffect(() => {
    if (lastPath.current !== path) {
      lastPath.current = path;
      setData(undefined);
    }
    if (!path) return;
    const controller = new AbortController();
    api<T>(path, { signal: controller.signal })
      .then((body) => {
        setData(body);
        setError(null);
      })
      .catch((err: Error) => {
        if (!controller.signal.aborted) setError(err.message);
      });
    return () => controller.abort();
  }, [path, stamp, nonce]);

  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { data, error, reload };
}
