import { Float32, GoMap } from '../go-json';

/**
 * Go's encoding/gob, written the way `gob.NewEncoder(&buf).Encode(entry)` writes one Heketi
 * entry (https://pkg.go.dev/encoding/gob): a stream that first defines every non-basic type it
 * uses, then holds the value. Only the kinds Heketi's entries use are modelled.
 */
export type GoType =
  | { kind: 'bool' | 'int' | 'uint' | 'float' | 'string' }
  | { kind: 'slice'; name: string; elem: GoType }
  | { kind: 'map'; name: string; key: GoType; elem: GoType }
  | { kind: 'struct'; name: string; fields: GoField[] }
  /** An interface field holding one of the registered concrete types `choose` picks. */
  | { kind: 'interface'; choose: (source: unknown) => { name: string; type: GoType; value: unknown } | undefined };

/**
 * A struct field: its Go name (what gob sends), where its value sits in the JSON-shaped source
 * (`json`), or `embedded` for an anonymous field whose members encoding/json flattens.
 */
export interface GoField {
  go: string;
  type: GoType;
  json?: string;
  embedded?: boolean;
}

// The predeclared type ids of gob's bootstrap (type.go).
const BASIC_ID = { bool: 1, int: 2, uint: 3, float: 4, string: 6 } as const;
const INTERFACE_ID = 8;
const FIRST_USER_ID = 65;

class GobBuffer {
  private bytes: number[] = [];

  uint(value: number | bigint): void {
    let v = BigInt(value);
    if (v < 128n) {
      this.bytes.push(Number(v));
      return;
    }
    const out: number[] = [];
    while (v > 0n) {
      out.unshift(Number(v & 0xffn));
      v >>= 8n;
    }
    this.bytes.push(256 - out.length, ...out);
  }

  int(value: number | bigint): void {
    const v = BigInt(value);
    this.uint(v < 0n ? (~v << 1n) | 1n : v << 1n);
  }

  /** A float64's bits, byte-reversed, sent as an unsigned integer. */
  float(value: number): void {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, value, true);
    this.uint(view.getBigUint64(0, false));
  }

  string(value: string): void {
    const utf8 = Buffer.from(value, 'utf8');
    this.uint(utf8.length);
    this.bytes.push(...utf8);
  }

  append(other: GobBuffer): void {
    this.bytes.push(...other.bytes);
  }

  get length(): number {
    return this.bytes.length;
  }

  toBuffer(): Buffer {
    return Buffer.from(this.bytes);
  }
}

type UserType = Extract<GoType, { name: string }>;

const childrenOf = (type: UserType): GoType[] =>
  type.kind === 'struct' ? type.fields.map((f) => f.type) : type.kind === 'map' ? [type.key, type.elem] : [type.elem];

/** One gob stream: type ids in the order the encoder meets the types, definitions before the value. */
class StreamEncoder {
  private readonly ids = new Map<GoType, number>();
  private nextId = FIRST_USER_ID;
  readonly out = new GobBuffer();

  private idOf(type: GoType): number {
    if (type.kind === 'interface') return INTERFACE_ID;
    if (!('name' in type)) return BASIC_ID[type.kind];
    const known = this.ids.get(type);
    if (known !== undefined) return known;
    // Number the type and every new type inside it first, then send their definitions, parent
    // first (as sendType does); the decoder resolves ids only when the value arrives.
    const fresh: UserType[] = [];
    const number = (t: GoType): void => {
      if (t.kind === 'interface' || !('name' in t) || this.ids.has(t)) return;
      this.ids.set(t, this.nextId++);
      fresh.push(t);
      childrenOf(t).forEach(number);
    };
    number(type);
    fresh.forEach((t) => this.define(t));
    return this.ids.get(type)!;
  }

  /** One type definition message: -id, then the wireType. */
  private define(type: UserType): void {
    const id = this.ids.get(type)!;
    const ids = childrenOf(type).map((child) => this.idOf(child));
    this.message((m) => {
      m.int(-id);
      m.uint(type.kind === 'slice' ? 2 : type.kind === 'struct' ? 3 : 4); // wireType.SliceT / StructT / MapT
      m.uint(1); // CommonType
      this.commonType(m, type.name, id);
      if (type.kind === 'slice') {
        m.uint(1);
        m.int(ids[0]);
      } else if (type.kind === 'map') {
        m.uint(1);
        m.int(ids[0]);
        m.uint(1);
        m.int(ids[1]);
      } else {
        m.uint(1); // Field
        m.uint(type.fields.length);
        type.fields.forEach((f, i) => {
          m.uint(1);
          m.string(f.go);
          m.uint(1);
          m.int(ids[i]);
          m.uint(0);
        });
      }
      m.uint(0); // end of the slice/struct/map type
      m.uint(0); // end of wireType
    });
  }

  private commonType(m: GobBuffer, name: string, id: number): void {
    if (name) {
      m.uint(1);
      m.string(name);
      m.uint(1);
    } else m.uint(2);
    m.int(id);
    m.uint(0);
  }

  /** A message: its byte count, then its bytes. */
  message(fill: (m: GobBuffer) => void): void {
    const m = new GobBuffer();
    fill(m);
    this.out.uint(m.length);
    this.out.append(m);
  }

  encodeTop(type: Extract<GoType, { kind: 'struct' }>, value: unknown): void {
    const id = this.idOf(type);
    // Interface values define their concrete types before the message that holds them.
    const body = new GobBuffer();
    this.struct(body, type, value);
    this.message((m) => {
      m.int(id);
      m.append(body);
    });
  }

  private struct(m: GobBuffer, type: Extract<GoType, { kind: 'struct' }>, source: unknown): void {
    let last = -1;
    type.fields.forEach((field, index) => {
      const value = field.embedded ? source : fieldOf(source, field.json ?? field.go);
      const encoded = new GobBuffer();
      if (!this.value(encoded, field.type, value, false)) return;
      m.uint(index - last);
      m.append(encoded);
      last = index;
    });
    m.uint(0);
  }

  /** Encodes one value; false when gob leaves a zero field out of its struct. */
  private value(m: GobBuffer, type: GoType, value: unknown, sendZero: boolean): boolean {
    switch (type.kind) {
      case 'bool':
        if (!value && !sendZero) return false;
        m.uint(value ? 1 : 0);
        return true;
      case 'int':
      case 'uint': {
        const n = typeof value === 'number' ? value : 0;
        if (n === 0 && !sendZero) return false;
        if (type.kind === 'int') m.int(n);
        else m.uint(n);
        return true;
      }
      case 'float': {
        // float32 fields travel as the float64 of their float32 value.
        const n = value instanceof Float32 ? Math.fround(value.value) : typeof value === 'number' ? Math.fround(value) : 0;
        if (n === 0 && !sendZero) return false;
        m.float(n);
        return true;
      }
      case 'string': {
        const s = typeof value === 'string' ? value : '';
        if (!s && !sendZero) return false;
        m.string(s);
        return true;
      }
      case 'slice': {
        const items = Array.isArray(value) ? value : [];
        if (!items.length && !sendZero) return false;
        m.uint(items.length);
        for (const item of items) this.value(m, type.elem, item, true);
        return true;
      }
      case 'map': {
        // gob sends a non-nil map even when empty; a missing map is nil.
        if (value === undefined || value === null) return false;
        const entries = Object.entries(value instanceof GoMap ? value.entries : (value as Record<string, unknown>)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        m.uint(entries.length);
        for (const [k, v] of entries) {
          this.value(m, type.key, k, true);
          this.value(m, type.elem, v, true);
        }
        return true;
      }
      case 'struct':
        // Nested structs are always sent, even when every field is zero.
        this.struct(m, type, value);
        return true;
      case 'interface': {
        const concrete = type.choose(value);
        if (!concrete) return false;
        if (concrete.type.kind !== 'struct') throw new Error('gob: only struct values behind interfaces are modelled');
        m.string(concrete.name);
        const id = this.idOf(concrete.type);
        m.int(id);
        const body = new GobBuffer();
        this.struct(body, concrete.type, concrete.value);
        m.uint(body.length);
        m.append(body);
        return true;
      }
    }
  }
}

function fieldOf(source: unknown, name: string): unknown {
  if (source instanceof GoMap) return source.entries[name];
  return source && typeof source === 'object' ? (source as Record<string, unknown>)[name] : undefined;
}

/** `gob.NewEncoder(&buf).Encode(value)` for a struct type: a self-contained stream. */
export function gobEncode(type: Extract<GoType, { kind: 'struct' }>, value: unknown): Buffer {
  const stream = new StreamEncoder();
  stream.encodeTop(type, value);
  return stream.out.toBuffer();
}
