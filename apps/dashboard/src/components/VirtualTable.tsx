import { ReactNode, useEffect, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { PagedRows } from './paged';

export interface Column<T> {
  header: string;
  /** CSS grid track, e.g. '1fr' or '90px'. */
  width: string;
  render(row: T): ReactNode;
  align?: 'right';
}

interface Props<T> {
  rows: PagedRows<T>;
  columns: Column<T>[];
  rowKey(row: T): string;
  onSelect?(row: T): void;
  selected?: string | null;
  height?: number | string;
  empty?: string;
  testId?: string;
}

const ROW = 30;

/** A table whose rows are virtualised (only those on screen exist in the DOM) over server-side pages. */
export function VirtualTable<T>({ rows, columns, rowKey, onSelect, selected, height = 400, empty = 'Nothing here.', testId }: Props<T>) {
  const scroller = useRef<HTMLDivElement>(null);
  const count = rows.total ?? 0;
  const virtualizer = useVirtualizer({ count, getScrollElement: () => scroller.current, estimateSize: () => ROW, overscan: 12 });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  const { ensure } = rows;
  useEffect(() => {
    ensure(first, Math.max(last, first));
  }, [ensure, first, last]);
  const template = columns.map((c) => c.width).join(' ');

  return (
    <div className="vtable" data-testid={testId}>
      <div className="vtable-head" style={{ gridTemplateColumns: template }}>
        {columns.map((c) => (
          <div key={c.header} className={c.align === 'right' ? 'num' : undefined}>
            {c.header}
          </div>
        ))}
      </div>
      <div className="vtable-body" ref={scroller} style={{ height }}>
        {rows.error && <div className="vtable-note error">{rows.error}</div>}
        {rows.total === 0 && <div className="vtable-note">{empty}</div>}
        {rows.total === null && !rows.error && <div className="vtable-note">Loading…</div>}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((v) => {
            const row = rows.row(v.index);
            const key = row ? rowKey(row) : null;
            return (
              <div
                key={v.key}
                className={`vtable-row${key !== null && key === selected ? ' selected' : ''}${onSelect ? ' clickable' : ''}`}
                style={{ transform: `translateY(${v.start}px)`, height: ROW, gridTemplateColumns: template }}
                onClick={row && onSelect ? () => onSelect(row) : undefined}
                data-row={key ?? undefined}
              >
                {row ? (
                  columns.map((c) => (
                    <div key={c.header} className={c.align === 'right' ? 'num' : undefined}>
                      {c.render(row)}
                    </div>
                  ))
                ) : (
                  <div className="muted">…</div>
                )}
              </div>
            );
          })}
        </div>
      </div>
      {rows.total !== null && rows.total > 0 && <div className="vtable-foot">{rows.total.toLocaleString('en')} {rows.total === 1 ? 'row' : 'rows'}</div>}
    </div>
  );
}
