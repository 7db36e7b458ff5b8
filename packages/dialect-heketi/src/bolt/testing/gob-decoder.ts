/**
 * A gob stream decoder written from the encoding/gob documentation, apart from the encoder so
 * a test can read back what it wrote. It knows nothing of Heketi's types: it learns each type
 * from the stream's own definitions (decoded with the bootstrap types gob predeclares) and
 * returns structs as objects keyed by Go field name, interfaces as { type, value }.
 */
type Wire =
  | { struct: { name: string; fields: { name: string; id: number }[] } }
  | { slice: { name: string; elem: number } }
  | { map: { name: string; key: number; elem: number } };

export interface GobInterface {
  type: string;
  value: unknown;
}

// Bootstrap: the wire types describing wire types (encoding/gob type.go ids 16-23).
const BOOTSTRAP = new Map<number, Wire>([
  [16, { struct: { name: 'wireType', fields: [{ name: 'ArrayT', id: 17 }, { name: 'SliceT', id: 19 }, { name: 'StructT', id: 20 }, { name: 'MapT', id: 23 }] } }],
  [17, { struct: { name: 'arrayType', fields: [{ name: 'CommonType', id: 18 }, { name: 'Elem', id: 2 }, { name: 'Len', id: 2 }] } }],
  [18, { struct: { name: 'CommonType', fields: [{ name: 'Name', id: 6 }, { name: 'Id', id: 2 }] } }],
  [19, { struct: { name: 'sliceType', fields: [{ name: 'CommonType', id: 18 }, { name: 'Elem', id: 2 }] } }],
  [20, { struct: { name: 'structType', fields: [{ name: 'CommonType', id: 18 }, { name: 'Field', id: 22 }] } }],
  [21, { struct: { name: 'fieldType', fields: [{ name: 'Name', id: 6 }, { name: 'Id', id: 2 }] } }],
  [22, { slice: { name: '[]fieldType', elem: 21 } }],
  [23, { struct: { name: 'mapType', fields: [{ name: 'CommonType', id: 18 }, { name: 'Key', id: 2 }, { name: 'Elem', id: 2 }] } }],
]);

class Reader {
  constructor(
    private readonly buf: Buffer,
    public pos = 0,
    private readonly end = buf.length,
  ) {}

  get done(): boolean {
    return this.pos >= this.end;
  }

  byte(): number {
    if (this.pos >= this.end) throw new Error('gob: unexpected end of data');
    return this.buf[this.pos++];
  }

  uint(): bigint {
    const first = this.byte();
    if (first < 0x80) return BigInt(first);
    const n = 256 - first;
    if (n > 8) throw new Error('gob: uint too long');
    let v = 0n;
    for (let i = 0; i < n; i++) v = (v << 8n) | BigInt(this.byte());
    return v;
  }

  int(): bigint {
    const u = this.uint();
    return u & 1n ? ~(u >> 1n) : u >> 1n;
  }

  bytes(): Buffer {
    const n = Number(this.uint());
    if (this.pos + n > this.end) throw new Error('gob: string past the end');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** A sub-reader over the next n bytes. */
  take(n: number): Reader {
    const sub = new Reader(this.buf, this.pos, this.pos + n);
    this.pos += n;
    return sub;
  }
}

export class GobDecoder {
  private readonly types = new Map<number, Wire>(BOOTSTRAP);

  /** Decodes every value in the stream (type definitions are absorbed on the way). */
  decodeAll(stream: Buffer): unknown[] {
    const r = new Reader(stream);
    const values: unknown[] = [];
    while (!r.done) {
      const message = r.take(Number(r.uint()));
      const id = Number(message.int());
      if (id < 0) {
        this.types.set(-id, this.toWire(this.decode(message, 16) as Record<string, Record<string, unknown>>));
      } else {
        const type = this.types.get(id);
        if (!type) throw new Error(`gob: value of undefined type ${id}`);
        if (!('struct' in type)) message.uint(); // a non-struct top-level value starts with a zero
        values.push(this.decode(message, id));
      }
      if (!message.done) throw new Error('gob: message has trailing bytes');
    }
    return values;
  }

  private toWire(w: Record<string, Record<string, unknown>>): Wire {
    const common = (t: Record<string, unknown>) => (t.CommonType ?? {}) as { Name?: string };
    if (w.StructT) {
      const fields = (w.StructT.Field as { Name: string; Id: number }[] | undefined) ?? [];
      return { struct: { name: common(w.StructT).Name ?? '', fields: fields.map((f) => ({ name: f.Name, id: f.Id })) } };
    }
    if (w.SliceT) return { slice: { name: common(w.SliceT).Name ?? '', elem: w.SliceT.Elem as number } };
    if (w.MapT) return { map: { name: common(w.MapT).Name ?? '', key: w.MapT.Key as number, elem: w.MapT.Elem as number } };
    throw new Error('gob: unsupported wire type');
  }

  private decode(r: Reader, id: number): unknown {
    switch (id) {
      case 1:
        return r.uint() !== 0n;
      case 2:
        return Number(r.int());
      case 3:
        return Number(r.uint());
      case 4: {
        const bits = r.uint();
        const view = new DataView(new ArrayBuffer(8));
        view.setBigUint64(0, bits, true); // the float's bytes were sent reversed
        return view.getFloat64(0, false);
      }
      case 5:
        return Buffer.from(r.bytes());
      case 6:
        return r.bytes().toString('utf8');
      case 8: {
        const name = r.bytes().toString('utf8');
        if (!name) return null;
        const concrete = Number(r.int());
        const body = r.take(Number(r.uint()));
        const type = this.types.get(concrete);
        if (!type) throw new Error(`gob: interface value of undefined type ${concrete}`);
        if (!('struct' in type)) body.uint();
        const value = this.decode(body, concrete);
        return { type: name, value } satisfies GobInterface;
      }
    }
    const type = this.types.get(id);
    if (!type) throw new Error(`gob: undefined type ${id}`);
    if ('slice' in type) {
      const n = Number(r.uint());
      return Array.from({ length: n }, () => this.decode(r, type.slice.elem));
    }
    if ('map' in type) {
      const n = Number(r.uint());
      const out: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) {
        const key = this.decode(r, type.map.key);
        out[String(key)] = this.decode(r, type.map.elem);
      }
      return out;
    }
    const out: Record<string, unknown> = {};
    let field = -1;
    for (;;) {
      const delta = Number(r.uint());
      if (delta === 0) return out;
      field += delta;
      const f = type.struct.fields[field];
      if (!f) throw new Error(`gob: field ${field} out of range in ${type.struct.name}`);
      out[f.name] = this.decode(r, f.id);
    }
  }
}
