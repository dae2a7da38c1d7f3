import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PageFile } from './lmdb-pages';
import { KeyRanges, scanOrphanLeaves } from './lmdb-walk';
import { useTempDirs } from './test-helpers';

const tempDir = useTempDirs('llm386-pages-test-');
const PS = 4096;

/** Writes a page header: pgno, txnid, flags, lower and upper (or an overflow page count). */
function header(
  file: Buffer,
  pgno: number,
  flags: number,
  lower: number,
  upper: number,
  txnId = 7,
): void {
  const at = pgno * PS;
  file.writeBigUInt64LE(BigInt(pgno), at);
  file.writeBigUInt64LE(BigInt(txnId), at + 8);
  file.writeUInt16LE(flags, at + 18);
  file.writeUInt16LE(lower, at + 20);
  file.writeUInt16LE(upper, at + 22);
}

/** Writes a leaf node at byte `offset` of page `pgno` and its pointer in slot `slot`. */
function node(
  file: Buffer,
  pgno: number,
  slot: number,
  offset: number,
  key: string,
  size: number,
  flags = 0,
  data = Buffer.alloc(0),
): void {
  const at = pgno * PS + offset;
  file.writeUInt16LE(offset - 24, pgno * PS + 24 + 2 * slot);
  if (offset + 8 > PS) return;
  file.writeUInt16LE(size & 0xffff, at);
  file.writeUInt16LE(size >>> 16, at + 2);
  file.writeUInt16LE(flags, at + 4);
  file.writeUInt16LE(key.length, at + 6);
  file.write(key, at + 8, 'latin1');
  data.copy(file, at + 8 + key.length);
}

/**
 * Pages 0-1: no meta (page size falls back to 4096). 2: a leaf with one good node and two whose
 * bounds leave the page. 3: a leaf with values on overflow pages. 4-5: an overflow run whose
 * second page looks like a leaf. 6: a leaf whose lower bound passes its upper. 7: says it is page 9.
 */
function sampleFile(): PageFile {
  const file = Buffer.alloc(8 * PS);
  header(file, 2, 0x02, 6, 3876);
  node(file, 2, 0, 4000, 'ab', 3, 0, Buffer.from('xyz'));
  node(file, 2, 1, 4090, 'cd', 1);
  node(file, 2, 2, 3900, 'ef', 500);
  const pointer = (pgno: number) => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(pgno));
    return b;
  };
  header(file, 3, 0x02, 4, 3976);
  node(file, 3, 0, 4050, 'big', 5000, 0x01, pointer(4));
  node(file, 3, 1, 4000, 'bad', 5000, 0x01, pointer(2));
  header(file, 4, 0x04, 2, 0);
  file.fill('v', 4 * PS + 24, 4 * PS + 24 + 5000);
  header(file, 5, 0x02, 0, 4072);
  header(file, 6, 0x02, 200, 100);
  header(file, 7, 0x02, 0, 4072);
  file.writeBigUInt64LE(9n, 7 * PS);
  const path = join(tempDir(), 'data.mdb');
  writeFileSync(path, file);
  return PageFile.open(path);
}

describe('PageFile', () => {
  it('falls back to 4096-byte pages when neither meta page reads', () => {
    const file = sampleFile();
    expect(file.metas).toEqual([]);
    expect(file.pageSize).toBe(PS);
    expect(file.lastPage).toBe(7);
    file.close();
  });

  it('keeps the nodes of a page that fit it and marks the page damaged for the others', () => {
    const file = sampleFile();
    const page = file.page(2);
    expect(page?.kind).toBe('leaf');
    if (page?.kind !== 'leaf') throw new Error('not a leaf');
    expect(page.damaged).toBe(true);
    expect(page.nodes.map((n) => n.key.toString())).toEqual(['ab']);
    const value = page.nodes[0]?.value;
    expect(value === undefined ? undefined : file.value(value)?.toString()).toBe('xyz');
    file.close();
  });

  it('reads a value from its overflow run, and none when the node points at another kind of page', () => {
    const file = sampleFile();
    const page = file.page(3);
    if (page?.kind !== 'leaf') throw new Error('not a leaf');
    const [big, bad] = page.nodes;
    expect(big?.overflow).toEqual({ first: 4, count: 2 });
    const value = big?.value === undefined ? undefined : file.value(big.value);
    // 5000 bytes from after the run's header, across into its second page (whose first bytes the
    // sample made look like a leaf header).
    expect(value?.length).toBe(5000);
    expect(value?.subarray(0, PS - 24).toString() === 'v'.repeat(PS - 24)).toBe(true);
    expect(value?.readBigUInt64LE(PS - 24)).toBe(5n);
    expect(bad?.value).toBeUndefined();
    file.close();
  });

  it('refuses pages whose bounds cross, that name another page, or that lie past the end', () => {
    const file = sampleFile();
    expect(file.page(6)).toBeUndefined();
    expect(file.page(7)).toBeUndefined();
    expect(file.page(8)).toBeUndefined();
    expect(file.page(-1)).toBeUndefined();
    expect(file.page(4)).toEqual({ kind: 'overflow', pgno: 4, count: 2 });
    file.close();
  });

  it('scans leaf pages in file order and skips the inside of overflow runs', () => {
    const file = sampleFile();
    const seen: number[] = [];
    scanOrphanLeaves(file, new Set(), (page) => seen.push(page.pgno));
    expect(seen).toEqual([2, 3]);
    file.close();
  });
});

describe('KeyRanges', () => {
  const k = (s: string) => Buffer.from(s);

  it('holds the keys of its ranges, bounds included, and none outside them', () => {
    const ranges = new KeyRanges();
    expect(ranges.has(k('m'))).toBe(false);
    ranges.add(k('m'), k('p'));
    ranges.add(k('b'), k('d'));
    ranges.add(k('c'), k('f'));
    expect(['b', 'c', 'e', 'f', 'm', 'n', 'p'].map((s) => ranges.has(k(s)))).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(['a', 'fa', 'g', 'pa', 'z'].map((s) => ranges.has(k(s)))).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('treats an undefined bound as unbounded', () => {
    const ranges = new KeyRanges();
    ranges.add(undefined, k('c'));
    ranges.add(k('x'), undefined);
    expect(['', 'a', 'c', 'x', 'zzz'].map((s) => ranges.has(k(s)))).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(ranges.has(k('m'))).toBe(false);
    expect(KeyRanges.all().has(k('anything'))).toBe(true);
  });
});
