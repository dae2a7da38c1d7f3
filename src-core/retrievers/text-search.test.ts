import MiniSearch from 'minisearch';
import { describe, expect, it } from 'vitest';
import type { BlockId } from '../base/index';
import { TextUnit } from './text-index';
import { bm25Search, lexicalSearch } from './text-search';
import { termIds, textTerms } from './text-terms';

const DOCS = [
  'The quick brown fox jumps over the lazy dog',
  'A fox and a hound became friends in the forest',
  'Deploy the service with docker compose and check the logs',
  'The docker daemon failed to start: check the systemd logs',
  'Brown bread, brown rice and brown sugar',
  'Foxes are omnivores; the red fox is the largest true fox',
  'Quarterly revenue grew while the logistics costs fell',
  'Check the deploy logs before the revenue review meeting',
];
const idOf = (i: number) => i.toString(16).padStart(32, '0') as BlockId;

function unitOf(docs: readonly string[]): TextUnit {
  const unit = new TextUnit();
  docs.forEach((text, i) => unit.add(idOf(i), termIds(text)));
  return unit;
}

const PARAMS = { k1: 1.2, b: 0.75, d: 0.5 };
const NO_PRUNING = {
  maxTerms: 1000,
  maxPostings: Number.MAX_SAFE_INTEGER,
  maxCandidates: Number.MAX_SAFE_INTEGER,
};

describe('textTerms', () => {
  it('splits on spaces, punctuation and symbols, lower-cases and drops stop-words', () => {
    expect(textTerms("The Docker-daemon's logs: 42 errors (see /var/log)!")).toEqual([
      'docker',
      'daemon',
      'log',
      '42',
      'error',
      'see',
      'var',
      'log',
    ]);
    expect(textTerms('Ünïcödé wörds and 漢字')).toEqual(['ünïcödé', 'wörds', '漢字']);
    expect(textTerms('')).toEqual([]);
  });

  it('reduces English word forms to one stem, so a question matches how the answer was said', () => {
    expect(textTerms('babies weddings attended classes')).toEqual(
      textTerms('baby wedding attend class'),
    );
    expect(textTerms('running runs')).toEqual(['run', 'run']);
  });
});

describe('bm25Search', () => {
  it('scores exactly as minisearch does over the same terms (BM25+, times the matched query terms)', () => {
    const ms = new MiniSearch<{ id: string; text: string }>({
      fields: ['text'],
      tokenize: (text) => textTerms(text),
      processTerm: (term) => term,
      searchOptions: { bm25: { k: PARAMS.k1, b: PARAMS.b, d: PARAMS.d } },
    });
    ms.addAll(DOCS.map((text, i) => ({ id: idOf(i), text })));
    const unit = unitOf(DOCS);
    for (const task of [
      'brown fox',
      'check the docker logs',
      'revenue deploy review',
      'fox',
      'nothing matches zebra',
    ]) {
      const ours = bm25Search([unit], termIds(task), 100, PARAMS, NO_PRUNING);
      const theirs = ms.search(task);
      expect(ours.map((r) => r.id).sort()).toEqual(theirs.map((r) => r.id as string).sort());
      for (const r of theirs)
        expect(ours.find((o) => o.id === r.id)?.score).toBeCloseTo(r.score, 10);
    }
  });

  it('keeps only the rarest terms of a long task within the postings budget', () => {
    const unit = unitOf(DOCS);
    // "check" and "logs" are in 3 blocks each, "systemd" in one: with one term allowed, only "systemd" counts.
    const pruned = bm25Search([unit], termIds('check logs systemd'), 100, PARAMS, {
      maxTerms: 1,
      maxPostings: 1000,
      maxCandidates: 1000,
    });
    expect(pruned.map((r) => r.id)).toEqual([idOf(3)]);
    const budget = bm25Search([unit], termIds('check logs systemd'), 100, PARAMS, {
      maxTerms: 10,
      maxPostings: 2,
      maxCandidates: 1000,
    });
    expect(budget.map((r) => r.id)).toEqual([idOf(3)]);
  });

  it('caps results at the limit and breaks ties by the newer id', () => {
    const unit = unitOf(['same words here', 'same words here', 'same words here', 'other']);
    const top = bm25Search([unit], termIds('same words'), 2, PARAMS);
    expect(top.map((r) => r.id)).toEqual([idOf(2), idOf(1)]);
    expect(top[0]?.score).toBe(top[1]?.score);
  });

  it('gives the same scores after removals as an index built without the removed blocks', () => {
    const unit = unitOf(DOCS);
    unit.remove(idOf(0));
    unit.remove(idOf(5));
    const rebuilt = new TextUnit();
    DOCS.forEach((text, i) => {
      if (i !== 0 && i !== 5) rebuilt.add(idOf(i), termIds(text));
    });
    for (const task of ['brown fox', 'check the docker logs']) {
      expect(bm25Search([unit], termIds(task), 100, PARAMS)).toEqual(
        bm25Search([rebuilt], termIds(task), 100, PARAMS),
      );
    }
    unit.compact();
    expect(unit.slots).toBe(DOCS.length - 2);
    expect(bm25Search([unit], termIds('brown fox'), 100, PARAMS)).toEqual(
      bm25Search([rebuilt], termIds('brown fox'), 100, PARAMS),
    );
  });

  it('uses pool-wide statistics across the units of several sessions, and counts a shared block once', () => {
    const a = unitOf(DOCS.slice(0, 4));
    const b = new TextUnit();
    DOCS.slice(4).forEach((text, i) => b.add(idOf(i + 4), termIds(text)));
    b.add(idOf(1), termIds(DOCS[1] as string)); // a block in both sessions
    const split = bm25Search([a, b], termIds('brown fox logs'), 100, PARAMS);
    expect(new Set(split.map((r) => r.id)).size).toBe(split.length);
    expect(split.map((r) => r.id)).toContain(idOf(4));
    expect(split.map((r) => r.id)).toContain(idOf(0));
  });

  it('reads back an encoded index with identical results, and keeps indexing after', () => {
    const unit = unitOf(DOCS);
    unit.remove(idOf(2));
    const { unit: copy, header } = TextUnit.decode(unit.encode({ seq: 42 }));
    expect(header.seq).toBe(42);
    expect(copy.live).toBe(unit.live);
    for (const task of ['brown fox', 'check the docker logs', 'revenue']) {
      expect(bm25Search([copy], termIds(task), 100, PARAMS)).toEqual(
        bm25Search([unit], termIds(task), 100, PARAMS),
      );
    }
    expect(copy.has(idOf(3))).toBe(true);
    expect(copy.has(idOf(2))).toBe(false);
    copy.add(idOf(20), termIds('a brand new fox'));
    unit.add(idOf(20), termIds('a brand new fox'));
    expect(bm25Search([copy], termIds('new fox'), 100, PARAMS)).toEqual(
      bm25Search([unit], termIds('new fox'), 100, PARAMS),
    );
  });
});

describe('lexicalSearch', () => {
  it('scores the fraction of distinct task terms a block contains', () => {
    const unit = unitOf(DOCS);
    const out = lexicalSearch([unit], termIds('check the docker logs today'), 100);
    // Terms: check, docker, logs, today (4). Block 3 has check, docker, logs.
    expect(out[0]).toEqual({ id: idOf(3), score: 3 / 4 });
    expect(out.find((r) => r.id === idOf(7))?.score).toBe(2 / 4);
    expect(out.every((r, i) => i === 0 || (out[i - 1] as { score: number }).score >= r.score)).toBe(
      true,
    );
  });
});

describe('candidate cap', () => {
  it('lets commoner terms raise found blocks but not bring in new ones', () => {
    const unit = unitOf(['rare common', 'common', 'common', 'rare']);
    // The cap is at least the limit; here both are 2. "rare" (2 blocks) comes first and fills it;
    // "common" then only adds to block 0.
    const capped = lexicalSearch([unit], termIds('rare common'), 2, {
      maxPostings: 1000,
      maxCandidates: 2,
    });
    expect(capped).toEqual([
      { id: idOf(0), score: 1 },
      { id: idOf(3), score: 0.5 },
    ]);
    const cappedBm25 = bm25Search([unit], termIds('rare common'), 2, PARAMS, {
      maxTerms: 8,
      maxPostings: 1000,
      maxCandidates: 2,
    });
    expect(cappedBm25.map((r) => r.id)).toEqual([idOf(0), idOf(3)]);
    // Uncapped, the common-only blocks tie with the rare-only one in lexical and the newer id wins.
    expect(
      lexicalSearch([unit], termIds('rare common'), 2, {
        maxPostings: 1000,
        maxCandidates: 1_000_000,
      }).map((r) => r.id),
    ).toEqual([idOf(0), idOf(3)]);
    const open = bm25Search([unit], termIds('rare common'), 10, PARAMS, NO_PRUNING);
    expect(open.map((r) => r.id).slice(0, 2)).toEqual([idOf(0), idOf(3)]);
    expect(open).toHaveLength(4);
  });
});
