/**
 * Go's encoding/json, byte for byte, for the values Heketi writes. Plain objects are Go structs:
 * keys in insertion (declaration) order, undefined members dropped (render applies omitempty).
 * GoMap is a Go map: keys sorted. Float32 prints the shortest decimal that reads back as the
 * same float32, as strconv does for a float32 field.
 */
export class GoMap {
  constructor(readonly entries: Record<string, unknown>) {}
}

export class Float32 {
  constructor(readonly value: number) {}
}

const ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

// Control characters, HTML-sensitive characters, line separators and lone surrogates (Go
// writes invalid UTF-8 as U+FFFD).
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be escaped
const NEEDS_ESCAPE = /["\\\u0000-\u001f<>&\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function goString(value: string): string {
  return `"${value.replace(NEEDS_ESCAPE, (c) => {
    if (ESCAPES[c]) return ESCAPES[c];
    if (c.length === 1 && c.charCodeAt(0) < 0x20) return `\\u00${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
    return '\ufffd';
  })}"`;
}

export function goFloat32(value: number): string {
  const target = Math.fround(value);
  if (!Number.isFinite(target)) throw new Error('Go cannot encode a non-finite float');
  if (Number.isInteger(target) && Math.abs(target) < 1e21) return String(target);
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(target.toPrecision(digits));
    if (Math.fround(candidate) === target) return formatGoFloat(candidate);
  }
  return formatGoFloat(target);
}

/** strconv 'g'-like choice Go's encoder makes: plain decimals between 1e-6 and 1e21, else exponent. */
function formatGoFloat(n: number): string {
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) {
    return n.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  }
  return String(n);
}

function encode(value: unknown, indent: string, depth: number): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return goString(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error('Go cannot encode a non-finite number');
    return Number.isInteger(value) ? BigInt(value).toString() : formatGoFloat(value);
  }
  if (value instanceof Float32) return goFloat32(value.value);
  const pad = indent ? `\n${indent.repeat(depth + 1)}` : '';
  const close = indent ? `\n${indent.repeat(depth)}` : '';
  const sep = indent ? ': ' : ':';
  if (Array.isArray(value)) {
    if (!value.length) return '[]';
    return `[${value.map((v) => pad + encode(v, indent, depth + 1)).join(',')}${close}]`;
  }
  const entries =
    value instanceof GoMap
      ? Object.entries(value.entries).sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
      : Object.entries(value as Record<string, unknown>);
  const members = entries.filter(([, v]) => v !== undefined);
  if (!members.length) return '{}';
  return `{${members.map(([k, v]) => `${pad}${goString(k)}${sep}${encode(v, indent, depth + 1)}`).join(',')}${close}}`;
}

/** json.NewEncoder(w).Encode(v): compact, with the encoder's trailing newline. */
export const goEncode = (value: unknown): string => `${encode(value, '', 0)}\n`;

/** json.MarshalIndent(v, "", "    ") as Heketi's dump endpoints write it, plus their newline. */
export const goEncodeIndent = (value: unknown): string => `${encode(value, '    ', 0)}\n`;
