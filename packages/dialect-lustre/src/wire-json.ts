/**
 * Tastypie serialises with Python's json.dumps(sort_keys=True): keys sorted at every level and
 * Python's separators (", " and ": "). Clients never depend on the spacing, but byte-for-byte
 * bodies make golden comparisons with recorded IML output possible.
 */
export function pythonJson(value: unknown): string {
  // Native JSON.stringify, indented so that it writes ": " itself, then folded onto one line
  // with Python's ", ": several times faster than walking the value by hand. JavaScript orders
  // integer-like keys numerically whatever their insertion order, so values holding such keys
  // (validation errors indexed by position) take the exact, slower path.
  let integerKeys = false;
  const sortKeys = (_key: string, v: unknown): unknown => {
    if (!v || typeof v !== 'object' || Array.isArray(v) || v instanceof Date) return v;
    const keys = Object.keys(v);
    let sorted = true;
    for (let i = 0; i < keys.length; i++) {
      const first = keys[i].charCodeAt(0);
      if (first >= 48 && first <= 57) integerKeys = true;
      if (i > 0 && keys[i - 1] > keys[i]) sorted = false;
    }
    if (sorted) return v;
    const out: Record<string, unknown> = {};
    for (const k of keys.sort()) out[k] = (v as Record<string, unknown>)[k];
    return out;
  };
  const indented = JSON.stringify(value === undefined ? null : value, sortKeys, 1);
  if (integerKeys) return slowPythonJson(value);
  // Strings never hold a raw newline (JSON escapes it), so every newline here is layout.
  return indented.replace(/,\n */g, ', ').replace(/\n */g, '');
}

function slowPythonJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return 'NaN';
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(slowPythonJson).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${slowPythonJson(v)}`).join(', ')}}`;
  }
  return 'null';
}

/** A value as Python's %s prints it in IML's messages (None, True, False, lists and dicts as repr-like JSON). */
export function pyStr(value: unknown): string {
  if (value === undefined || value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Naive UTC ISO time as Tastypie 0.12 prints it (make_naive, microseconds left out when zero). */
export function naiveIso(date: Date | null | undefined): string | null {
  if (!date) return null;
  const iso = date.toISOString();
  const ms = iso.slice(20, 23);
  return ms === '000' ? iso.slice(0, 19) : `${iso.slice(0, 19)}.${ms}000`;
}

/** Aware ISO time as IML's DateSerializer prints it (alert, log, registration_token). */
export function awareIso(date: Date | null | undefined): string | null {
  const naive = naiveIso(date);
  return naive === null ? null : `${naive}+00:00`;
}
