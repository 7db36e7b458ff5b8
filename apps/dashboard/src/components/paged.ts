import { useCallback, useEffect, useRef, useState } from 'react';
import { api, query } from '../api';
import { Page } from '../types';

export type Params = Record<string, string | number | undefined | null>;

export interface PagedRows<T> {
  /** Rows the server has for this query; null until the first page arrives. */
  total: number | null;
  error: string | null;
  row(index: number): T | undefined;
  /** Asks for the pages covering rows start..end (inclusive) that are missing or stale. */
  ensure(start: number, end: number): void;
}

/**
 * Server-side paging for virtualised lists: only the pages of rows on screen are ever fetched,
 * so a list of 50,000 VMs costs what a list of 200 does. When `stamp` moves (the domain changed)
 * the loaded pages are marked stale and re-read as they are shown, keeping old rows meanwhile.
 */
export function usePagedRows<T>(path: string, params: Params, stamp: string, pageSize = 100, itemsKey = 'items'): PagedRows<T> {
  const key = `${path}${query(params)}`;
  const pages = useRef(new Map<number, { items: T[]; stamp: string }>());
  const inflight = useRef(new Set<string>());
  const generation = useRef(0);
  const visible = useRef<[number, number]>([0, 0]);
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [, setVersion] = useState(0);

  const load = useCallback(
    (page: number) => {
      const ticket = `${generation.current}:${page}:${stamp}`;
      if (inflight.current.has(ticket)) return;
      inflight.current.add(ticket);
      const gen = generation.current;
      const sep = path.includes('?') ? '&' : '?';
      const q = query({ ...params, limit: pageSize, offset: page * pageSize });
      api<Page<T> & Record<string, unknown>>(`${path}${q ? `${sep}${q.slice(1)}` : ''}`)
        .then((body) => {
          if (gen !== generation.current) return;
          pages.current.set(page, { items: (body[itemsKey] as T[]) ?? [], stamp });
          setTotal(body.total);
          setError(null);
          setVersion((v) => v + 1);
        })
        .catch((err: Error) => {
          if (gen === generation.current) setError(err.message);
        })
        .finally(() => inflight.current.delete(ticket));
    },
    // key is path + params, so params need not be a dependency of their own.
    [key, stamp, pageSize],
  );

  // A new query starts from nothing.
  useEffect(() => {
    generation.current++;
    pages.current.clear();
    inflight.current.clear();
    setTotal(null);
    setError(null);
    visible.current = [0, 0];
    setVersion((v) => v + 1);
  }, [key]);

  const ensure = useCallback(
    (start: number, end: number) => {
      visible.current = [start, end];
      const first = Math.floor(Math.max(0, start) / pageSize);
      const last = Math.floor(Math.max(0, end) / pageSize);
      for (let p = first; p <= last; p++) {
        const have = pages.current.get(p);
        if (!have || have.stamp !== stamp) load(p);
      }
    },
    [load, pageSize, stamp],
  );

  // The first page (and, after a change, the pages on screen) without waiting for a scroll.
  useEffect(() => {
    ensure(visible.current[0], visible.current[1]);
  }, [ensure]);

  const row = (index: number): T | undefined => pages.current.get(Math.floor(index / pageSize))?.items[index % pageSize];
  return { total, error, row, ensure };
}
