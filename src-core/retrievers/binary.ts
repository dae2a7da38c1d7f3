// A tiny container for index snapshots: a JSON header followed by typed-array sections, each
// aligned to 8 bytes so readers can view them in place without copying every section.

type Section = Uint8Array | Uint32Array | Int8Array | Float64Array;

/** Packs a header and sections into one buffer: [u32 header length][header JSON][pad][sections, 8-aligned]. */
export function packSections(
  header: Record<string, unknown>,
  sections: readonly Section[],
): Buffer {
  const lengths = sections.map((s) => s.byteLength);
  const json = Buffer.from(JSON.stringify({ ...header, sections: lengths }), 'utf8');
  let size = align8(4 + json.length);
  for (const n of lengths) size += align8(n);
  const out = Buffer.alloc(size);
  out.writeUInt32LE(json.length, 0);
  json.copy(out, 4);
  let offset = align8(4 + json.length);
  for (const s of sections) {
    out.set(new Uint8Array(s.buffer, s.byteOffset, s.byteLength), offset);
    offset += align8(s.byteLength);
  }
  return out;
}

/**
 * Reads what {@link packSections} wrote; sections are byte views into the buffer (or into one
 * aligned copy of it). The caller must not reuse the buffer afterwards.
 */
export function unpackSections(buffer: Uint8Array): {
  header: Record<string, unknown>;
  sections: Uint8Array<ArrayBuffer>[];
} {
  // Typed-array views need 8-byte alignment. A buffer read from LMDB is its own allocation
  // (aligned): view it in place. Otherwise (a pooled or sliced buffer) copy once.
  let data: Uint8Array<ArrayBuffer>;
  if (buffer.byteOffset % 8 === 0 && buffer.buffer instanceof ArrayBuffer) {
    data = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } else {
    data = new Uint8Array(buffer.byteLength);
    data.set(buffer);
  }
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const jsonLength = view.getUint32(0, true);
  const header = JSON.parse(
    Buffer.from(data.buffer, data.byteOffset + 4, jsonLength).toString('utf8'),
  ) as Record<string, unknown> & { sections: number[] };
  let offset = align8(4 + jsonLength);
  const sections: Uint8Array<ArrayBuffer>[] = [];
  for (const n of header.sections) {
    sections.push(new Uint8Array(data.buffer, data.byteOffset + offset, n));
    offset += align8(n);
  }
  return { header, sections };
}

/** The header {@link packSections} wrote, without viewing the sections. */
export function readHeader(buffer: Uint8Array): Record<string, unknown> {
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const jsonLength = view.getUint32(0, true);
  return JSON.parse(
    Buffer.from(buffer.buffer, buffer.byteOffset + 4, jsonLength).toString('utf8'),
  ) as Record<string, unknown>;
}

/** A section viewed as Uint32 values (no copy). */
export function asUint32(bytes: Uint8Array<ArrayBuffer>): Uint32Array<ArrayBuffer> {
  return new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}

/** A section viewed as Int8 values (no copy). */
export function asInt8(bytes: Uint8Array<ArrayBuffer>): Int8Array<ArrayBuffer> {
  return new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Block ids (32 hex chars each; '' for an empty slot) as one latin1 section. */
export function packIds(ids: readonly string[]): Uint8Array {
  const out = Buffer.alloc(ids.length * 32, 0x2d); // '-' marks an empty slot
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (id !== undefined && id !== '') out.write(id, i * 32, 32, 'latin1');
  }
  return out;
}

/** Reads {@link packIds}. */
export function unpackIds(bytes: Uint8Array, count: number): string[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Array<string>(count);
  for (let i = 0; i < count; i++) {
    // One string per id, not a slice of one big string: V8 hashes and compares sliced strings
    // several times slower, and these ids are looked up in maps on every page call.
    out[i] = buf[i * 32] === 0x2d ? '' : buf.toString('latin1', i * 32, i * 32 + 32);
  }
  return out;
}

/** Grows a typed array to hold at least `min` elements (doubling), copying the used prefix. */
export function grow<T extends Uint32Array | Uint8Array | Int8Array | Float64Array>(
  array: T,
  min: number,
  used: number,
): T {
  if (array.length >= min) return array;
  let size = Math.max(8, array.length * 2);
  while (size < min) size *= 2;
  const next = new (array.constructor as new (n: number) => T)(size);
  next.set(array.subarray(0, used));
  return next;
}

function align8(n: number): number {
  return (n + 7) & ~7;
}
