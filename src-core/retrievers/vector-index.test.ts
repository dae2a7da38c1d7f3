import { describe, expect, it } from 'vitest';
import type { BlockId } from '../base/index';
import { hashVector } from './embedders';
import { VectorUnit } from './vector-index';

const idOf = (i: number) => i.toString(16).padStart(32, '0') as BlockId;

function random(seed: number, n: number): Float32Array {
  let a = seed >>> 0;
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    v[i] = ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  }
  return v;
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += (a[i] as number) * (b[i] as number);
    na += (a[i] as number) ** 2;
    nb += (b[i] as number) ** 2;
  }
  return dot / Math.sqrt(na * nb);
}

describe('VectorUnit', () => {
  const D = 32;
  const vectors = Array.from({ length: 300 }, (_, i) => random(i + 1, D));

  it('finds the same nearest blocks as a brute-force cosine scan', () => {
    const unit = new VectorUnit(D);
    vectors.forEach((v, i) => unit.add(idOf(i), v));
    for (let q = 0; q < 5; q++) {
      const query = random(1000 + q, D);
      const got = unit.search(query, 10);
      const want = vectors
        .map((v, i) => ({ id: idOf(i), score: cosine(query, v) }))
        .filter((r) => r.score > 0)
        .sort((a, b) => b.score - a.score)
        .slice(0, 10);
      // int8 quantisation moves scores by about 1%; the sets agree apart from near-ties at the cut.
      const overlap = got.filter((g) => want.some((w) => w.id === g.id)).length;
      expect(overlap).toBeGreaterThanOrEqual(9);
      for (const g of got)
        expect(g.score).toBeCloseTo(
          cosine(query, vectors[Number.parseInt(g.id, 16)] as Float32Array),
          1,
        );
      expect(got.map((g) => g.score)).toEqual([...got.map((g) => g.score)].sort((a, b) => b - a));
    }
  });

  it('ranks the block itself first for its own vector', () => {
    const unit = new VectorUnit(256);
    const texts = [
      'the cat sat on the mat',
      'stock markets fell sharply today',
      'a recipe for lemon cake',
      'cats and mats and hats',
    ];
    texts.forEach((t, i) => unit.add(idOf(i), hashVector(t, 256)));
    expect(unit.search(hashVector('the cat sat on the mat', 256), 4)[0]?.id).toBe(idOf(0));
    expect(unit.search(hashVector('lemon cake recipe', 256), 1)[0]?.id).toBe(idOf(2));
  });

  it('never returns removed blocks, and compaction changes no result', () => {
    const unit = new VectorUnit(D);
    vectors.forEach((v, i) => unit.add(idOf(i), v));
    const query = vectors[7] as Float32Array;
    expect(unit.search(query, 1)[0]?.id).toBe(idOf(7));
    unit.remove(idOf(7));
    const after = unit.search(query, 20);
    expect(after.map((r) => r.id)).not.toContain(idOf(7));
    unit.compact();
    expect(unit.slots).toBe(299);
    expect(unit.search(query, 20)).toEqual(after);
  });

  it('skips zero vectors and reads back an encoded index with identical results', () => {
    const unit = new VectorUnit(D);
    expect(unit.add(idOf(999), new Float32Array(D))).toBe(false);
    vectors.slice(0, 50).forEach((v, i) => unit.add(idOf(i), v));
    unit.remove(idOf(3));
    const { unit: copy, header } = VectorUnit.decode(unit.encode({ seq: 9 }));
    expect(header.seq).toBe(9);
    const query = random(77, D);
    expect(copy.search(query, 10)).toEqual(unit.search(query, 10));
    copy.add(idOf(60), vectors[60] as Float32Array);
    expect(copy.search(vectors[60] as Float32Array, 1)[0]?.id).toBe(idOf(60));
  });
});

describe('VectorUnit.slice and VectorUnit.merge', () => {
  const D = 16;
  it('merged slices search exactly as the unit they were cut from, removed rows included', () => {
    const unit = new VectorUnit(D);
    for (let i = 0; i < 120; i++) unit.add(idOf(i), random(i + 7, D));
    for (const i of [3, 40, 41, 99]) unit.remove(idOf(i));
    const cuts = [0, 17, 40, 41, 90, unit.slots];
    const parts = cuts.slice(1).map((hi, i) => unit.slice(cuts[i] as number, hi));
    // Decoded units, blobs read in place and units, mixed.
    const merged = VectorUnit.merge(
      parts.map((p, i) =>
        i % 3 === 0 ? VectorUnit.decode(p.encode()).unit : i % 3 === 1 ? p.encode() : p,
      ),
    );
    expect(merged.slots).toBe(unit.slots);
    expect(merged.live).toBe(unit.live);
    parts.forEach((p, i) =>
      expect(unit.encodeRange(cuts[i] as number, cuts[i + 1] as number)).toEqual(p.encode()),
    );
    for (let q = 0; q < 5; q++) {
      const query = random(500 + q, D);
      expect(merged.search(query, 10)).toEqual(unit.search(query, 10));
      const odd = (id: BlockId) => Number.parseInt(id, 16) % 2 === 1;
      expect(merged.search(query, 10, odd)).toEqual(unit.search(query, 10, odd));
    }
    expect(unit.slice(35, 45).liveIn(0, 10)).toBe(8);
    expect(unit.slice(35, 45).idRangeIn(0, 10)).toEqual([idOf(35), idOf(44)]);
  });

  it('skips empty placeholders whose dimensions were not known yet', () => {
    const unit = new VectorUnit(D);
    unit.add(idOf(1), random(1, D));
    const merged = VectorUnit.merge([unit.slice(0, 1), new VectorUnit(1)]);
    expect(merged.dimensions).toBe(D);
    expect(merged.search(random(1, D), 1)[0]?.id).toBe(idOf(1));
  });
});
