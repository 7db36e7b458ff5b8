/** Prints rows as aligned columns; cells are stringified, null/undefined show as "-". */
export function table(rows: Record<string, unknown>[], columns: string[], write: (s: string) => void): void {
  const cell = (v: unknown): string => (v === null || v === undefined ? '-' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  const cells = rows.map((r) => columns.map((c) => cell(r[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i].length)));
  const line = (values: string[]): string => values.map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i]))).join('  ');
  write(`${line(columns.map((c) => c.toUpperCase()))}\n`);
  for (const row of cells) write(`${line(row)}\n`);
}
