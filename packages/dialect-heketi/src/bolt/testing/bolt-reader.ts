/**
 * A BoltDB reader written from the file format (boltdb/bolt page.go, meta.go, bucket.go), kept
 * apart from the writer so a test can check what the writer made: meta pages (magic, version,
 * page size, FNV-64a checksum), page ids and kinds, key order, branch keys, buckets (page-backed
 * or inline), and that every page is reachable, as Tx.Check demands.
 */
export interface BoltFile {
  pageSize: number;
  txid: bigint;
  highWater: number;
  buckets: Map<string, Map<string, Buffer>>;
}

const META = 0x04;
const LEAF = 0x02;
const BRANCH = 0x01;
const FREELIST = 0x10;
const BUCKET = 0x01;

function fnv1a64(data: Buffer): bigint {
  const prime = 1099511628211n;
  let h = 14695981039346656037n;
  for (let i = 0; i < data.length; i++) h = BigInt.asUintN(64, (h ^ BigInt(data[i])) * prime);
  return h;
}

interface Meta {
  pageSize: number;
  root: number;
  freelist: number;
  highWater: number;
  txid: bigint;
}

function readMeta(file: Buffer, offset: number, expectedId: number): Meta {
  const id = Number(file.readBigUInt64LE(offset));
  if (id !== expectedId || file.readUInt16LE(offset + 8) !== META) throw new Error(`page ${expectedId} is not a meta page`);
  const m = offset + 16;
  if (file.readUInt32LE(m) !== 0xed0cdaed) throw new Error('bad magic');
  if (file.readUInt32LE(m + 4) !== 2) throw new Error('bad version');
  const sum = file.readBigUInt64LE(m + 56);
  if (fnv1a64(file.subarray(m, m + 56)) !== sum) throw new Error(`meta ${expectedId} checksum mismatch`);
  return {
    pageSize: file.readUInt32LE(m + 8),
    root: Number(file.readBigUInt64LE(m + 16)),
    freelist: Number(file.readBigUInt64LE(m + 32)),
    highWater: Number(file.readBigUInt64LE(m + 40)),
    txid: file.readBigUInt64LE(m + 48),
  };
}

interface Element {
  flags: number;
  key: Buffer;
  value: Buffer;
}

export function readBoltFile(file: Buffer): BoltFile {
  const first = readMeta(file, 0, 0);
  const pageSize = first.pageSize;
  const second = readMeta(file, pageSize, 1);
  const meta = second.txid > first.txid ? second : first;
  if (file.length !== meta.highWater * pageSize) throw new Error(`file is ${file.length} bytes, meta says ${meta.highWater} pages`);
  const reached = new Set<number>([0, 1]);
  const mark = (id: number, overflow: number) => {
    for (let p = id; p <= id + overflow; p++) {
      if (p >= meta.highWater) throw new Error(`page ${p} beyond the high water mark`);
      if (reached.has(p)) throw new Error(`page ${p} reached twice`);
      reached.add(p);
    }
  };

  const freelist = meta.freelist * pageSize;
  if (file.readUInt16LE(freelist + 8) !== FREELIST) throw new Error('freelist page has the wrong kind');
  let freeCount = file.readUInt16LE(freelist + 10);
  let at = freelist + 16;
  if (freeCount === 0xffff) {
    freeCount = Number(file.readBigUInt64LE(at));
    at += 8;
  }
  mark(meta.freelist, file.readUInt32LE(freelist + 12));
  for (let i = 0; i < freeCount; i++) mark(Number(file.readBigUInt64LE(at + i * 8)), 0);

  /** Elements of one node, at `base` (a page in the file, or an inline bucket's page). */
  const readNode = (buf: Buffer, base: number): { flags: number; elements: (Element & { child?: number })[] } => {
    const flags = buf.readUInt16LE(base + 8);
    const count = buf.readUInt16LE(base + 10);
    const elements = [];
    for (let i = 0; i < count; i++) {
      const e = base + 16 + i * 16;
      if (flags === LEAF) {
        const pos = buf.readUInt32LE(e + 4);
        const ksize = buf.readUInt32LE(e + 8);
        const vsize = buf.readUInt32LE(e + 12);
        elements.push({ flags: buf.readUInt32LE(e), key: buf.subarray(e + pos, e + pos + ksize), value: buf.subarray(e + pos + ksize, e + pos + ksize + vsize) });
      } else if (flags === BRANCH) {
        const pos = buf.readUInt32LE(e);
        const ksize = buf.readUInt32LE(e + 4);
        elements.push({ flags: 0, key: buf.subarray(e + pos, e + pos + ksize), value: Buffer.alloc(0), child: Number(buf.readBigUInt64LE(e + 8)) });
      } else throw new Error(`unexpected page kind ${flags}`);
    }
    return { flags, elements };
  };

  const walk = (id: number, out: Element[]): Buffer | undefined => {
    const base = id * pageSize;
    if (Number(file.readBigUInt64LE(base)) !== id) throw new Error(`page ${id} carries another id`);
    mark(id, file.readUInt32LE(base + 12));
    const node = readNode(file, base);
    if (node.flags === LEAF) {
      out.push(...node.elements);
      return node.elements[0]?.key;
    }
    if (!node.elements.length) throw new Error(`empty branch page ${id}`);
    for (const e of node.elements) {
      const firstKey = walk(e.child!, out);
      if (!firstKey || !firstKey.equals(e.key)) throw new Error(`branch ${id} key does not match its child ${e.child}`);
    }
    return node.elements[0].key;
  };

  const sorted = (elements: Element[]) => {
    for (let i = 1; i < elements.length; i++) {
      if (Buffer.compare(elements[i - 1].key, elements[i].key) >= 0) throw new Error('keys out of order');
    }
    return elements;
  };

  const bucketElements = (value: Buffer): Element[] => {
    const root = Number(value.readBigUInt64LE(0));
    if (root !== 0) {
      const out: Element[] = [];
      walk(root, out);
      return sorted(out);
    }
    return sorted(readNode(value.subarray(16), 0).elements); // inline bucket
  };

  const rootItems: Element[] = [];
  walk(meta.root, rootItems);
  const buckets = new Map<string, Map<string, Buffer>>();
  for (const item of sorted(rootItems)) {
    if (!(item.flags & BUCKET)) throw new Error(`top-level key ${item.key.toString()} is not a bucket`);
    const entries = new Map<string, Buffer>();
    for (const e of bucketElements(item.value)) {
      if (e.flags & BUCKET) throw new Error('nested buckets are not expected');
      entries.set(e.key.toString('utf8'), Buffer.from(e.value));
    }
    buckets.set(item.key.toString('utf8'), entries);
  }
  for (let p = 0; p < meta.highWater; p++) if (!reached.has(p)) throw new Error(`page ${p} unreachable and not free`);
  return { pageSize, txid: meta.txid, highWater: meta.highWater, buckets };
}
