/**
 * A BoltDB file (boltdb/bolt v1.3, the format bbolt keeps: version 2) holding top-level buckets
 * of key/value pairs, laid out as one committed transaction would leave it: two meta pages, an
 * empty freelist, then each bucket's B+tree (leaf pages, branch pages above them when a bucket
 * needs more than one leaf, overflow pages for a node larger than a page), and the root bucket's
 * tree last. Little-endian, as Bolt writes on the x86 and arm64 hosts Heketi runs on.
 */
export const PAGE_SIZE = 4096;
export const BOLT_MAGIC = 0xed0cdaed;
export const BOLT_VERSION = 2;
export const PAGE_HEADER_SIZE = 16;
export const ELEMENT_SIZE = 16;
export const FLAG_BRANCH = 0x01;
export const FLAG_LEAF = 0x02;
export const FLAG_META = 0x04;
export const FLAG_FREELIST = 0x10;
export const BUCKET_LEAF_FLAG = 0x01;

interface Item {
  key: Buffer;
  value: Buffer;
  flags: number;
}

class PageFile {
  private pages: Buffer[] = [];

  /** Reserves page ids 0..n-1 (meta, freelist) to fill in last. */
  reserve(count: number): void {
    for (let i = 0; i < count; i++) this.pages.push(Buffer.alloc(PAGE_SIZE));
  }

  get nextId(): number {
    return this.pages.length;
  }

  /** Writes one node: a page, or a page and its overflow pages when it is larger. */
  add(body: Buffer, flags: number, count: number): number {
    const id = this.pages.length;
    const span = Math.ceil((PAGE_HEADER_SIZE + body.length) / PAGE_SIZE);
    const node = Buffer.alloc(span * PAGE_SIZE);
    writeHeader(node, id, flags, count, span - 1);
    body.copy(node, PAGE_HEADER_SIZE);
    for (let i = 0; i < span; i++) this.pages.push(node.subarray(i * PAGE_SIZE, (i + 1) * PAGE_SIZE));
    return id;
  }

  set(id: number, page: Buffer): void {
    this.pages[id] = page;
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.pages);
  }
}

function writeHeader(page: Buffer, id: number, flags: number, count: number, overflow: number): void {
  page.writeBigUInt64LE(BigInt(id), 0);
  page.writeUInt16LE(flags, 8);
  page.writeUInt16LE(count, 10);
  page.writeUInt32LE(overflow, 12);
}

const nodeSize = (items: { key: Buffer; value?: Buffer }[]) => items.reduce((n, i) => n + ELEMENT_SIZE + i.key.length + (i.value?.length ?? 0), 0);

/** A leaf's body: leafPageElement{flags, pos, ksize, vsize} each, then keys and values. */
function leafBody(items: Item[]): Buffer {
  const body = Buffer.alloc(nodeSize(items));
  let data = items.length * ELEMENT_SIZE;
  items.forEach((item, i) => {
    const at = i * ELEMENT_SIZE;
    body.writeUInt32LE(item.flags, at);
    body.writeUInt32LE(data - at, at + 4); // pos is relative to the element itself
    body.writeUInt32LE(item.key.length, at + 8);
    body.writeUInt32LE(item.value.length, at + 12);
    item.key.copy(body, data);
    item.value.copy(body, data + item.key.length);
    data += item.key.length + item.value.length;
  });
  return body;
}

/** A branch's body: branchPageElement{pos, ksize, pgid} each, then the keys. */
function branchBody(children: { key: Buffer; page: number }[]): Buffer {
  const body = Buffer.alloc(nodeSize(children));
  let data = children.length * ELEMENT_SIZE;
  children.forEach((child, i) => {
    const at = i * ELEMENT_SIZE;
    body.writeUInt32LE(data - at, at);
    body.writeUInt32LE(child.key.length, at + 4);
    body.writeBigUInt64LE(BigInt(child.page), at + 8);
    child.key.copy(body, data);
    data += child.key.length;
  });
  return body;
}

/** Packs items into nodes that fit a page; an item too large for one gets a node of its own. */
function pack<T extends { key: Buffer; value?: Buffer }>(items: T[]): T[][] {
  const nodes: T[][] = [];
  let current: T[] = [];
  for (const item of items) {
    if (current.length && PAGE_HEADER_SIZE + nodeSize([...current, item]) > PAGE_SIZE) {
      nodes.push(current);
      current = [];
    }
    current.push(item);
  }
  nodes.push(current); // an empty bucket is one empty leaf
  return nodes;
}

/** Writes a B+tree of sorted items bottom-up; returns its root page id. */
function writeTree(file: PageFile, items: Item[]): number {
  let level = pack(items).map((leaf) => ({ key: leaf[0]?.key ?? Buffer.alloc(0), page: file.add(leafBody(leaf), FLAG_LEAF, leaf.length) }));
  while (level.length > 1) {
    level = pack(level).map((children) => ({ key: children[0].key, page: file.add(branchBody(children), FLAG_BRANCH, children.length) }));
  }
  return level[0].page;
}

const compareBytes = (a: Item, b: Item) => Buffer.compare(a.key, b.key);

/** FNV-1a 64 over the meta fields before the checksum, as meta.sum64 computes it. */
function fnv64a(bytes: Buffer): bigint {
  let hash = 0xcbf29ce484222325n;
  for (const byte of bytes) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash;
}

function metaPage(id: number, root: number, freelist: number, highWater: number, txid: number): Buffer {
  const page = Buffer.alloc(PAGE_SIZE);
  writeHeader(page, id, FLAG_META, 0, 0);
  const m = PAGE_HEADER_SIZE;
  page.writeUInt32LE(BOLT_MAGIC, m);
  page.writeUInt32LE(BOLT_VERSION, m + 4);
  page.writeUInt32LE(PAGE_SIZE, m + 8);
  page.writeUInt32LE(0, m + 12); // flags
  page.writeBigUInt64LE(BigInt(root), m + 16); // root bucket: root page
  page.writeBigUInt64LE(0n, m + 24); // root bucket: sequence
  page.writeBigUInt64LE(BigInt(freelist), m + 32);
  page.writeBigUInt64LE(BigInt(highWater), m + 40);
  page.writeBigUInt64LE(BigInt(txid), m + 48);
  page.writeBigUInt64LE(fnv64a(page.subarray(m, m + 56)), m + 56);
  return page;
}

/**
 * The file: buckets (name -> key -> value) as page-backed buckets under the root bucket. Both
 * meta pages carry the same transaction, as Tx.WriteTo writes them.
 */
export function writeBoltFile(buckets: Map<string, Map<string, Buffer>>, txid = 1): Buffer {
  const file = new PageFile();
  file.reserve(3); // meta 0, meta 1, freelist
  const rootItems: Item[] = [];
  for (const [name, entries] of buckets) {
    const items = [...entries].map(([key, value]) => ({ key: Buffer.from(key, 'utf8'), value, flags: 0 })).sort(compareBytes);
    const root = writeTree(file, items);
    const header = Buffer.alloc(16); // bucket{root pgid, sequence}
    header.writeBigUInt64LE(BigInt(root), 0);
    rootItems.push({ key: Buffer.from(name, 'utf8'), value: header, flags: BUCKET_LEAF_FLAG });
  }
  const root = writeTree(file, rootItems.sort(compareBytes));
  const freelist = Buffer.alloc(PAGE_SIZE);
  writeHeader(freelist, 2, FLAG_FREELIST, 0, 0);
  file.set(2, freelist);
  const highWater = file.nextId;
  file.set(0, metaPage(0, root, 2, highWater, txid));
  file.set(1, metaPage(1, root, 2, highWater, txid));
  return file.toBuffer();
}
