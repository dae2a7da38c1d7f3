import fc from 'fast-check';
import { Tiktoken, type TiktokenBPE } from 'js-tiktoken/lite';
import cl100k from 'js-tiktoken/ranks/cl100k_base';
import o200k from 'js-tiktoken/ranks/o200k_base';
import { describe, expect, it } from 'vitest';
import { getTokenizer, warmTokenizer } from './tokenizer';

// js-tiktoken's own encoder is the oracle: our encoder must give the very same ids and counts.
const oracles = {
  cl100k_base: new Tiktoken(cl100k as TiktokenBPE),
  o200k_base: new Tiktoken(o200k as TiktokenBPE),
} as const;
const SAMPLES = [
  'Hello, world! The quick brown fox jumps over 13 lazy dogs.',
  '  leading spaces\n\n\ttabs and newlines   \n',
  'unicode: café, naïve, 日本語のテキスト, emoji 🎉🎉, עברית, русский, ελληνικά',
  "code: const x = foo(bar) => { return x ?? 'y'; }\n\tif (a !== b) throw new Error(`no ${a}`);",
  'special text <|endoftext|> and <|fim_prefix|> are plain text here',
  'lone surrogate \ud800 and \udfff, zero width \u200b, BOM \ufeff, NUL \u0000',
  'numbers 1234567890 3.14159 -42 1e10 0x1F',
  'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
  'https://example.com/path?query=1&x=%20#frag',
  '',
];

describe('warmTokenizer', () => {
  // First in the file: nothing has filled cl100k_base's table yet.
  it('fills the table in slices, answering timers in between, and then counts as before', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    await warmTokenizer('cl100k_base', 5);
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(0);
    expect(getTokenizer('cl100k_base').count(SAMPLES[0] as string)).toBe(
      oracles.cl100k_base.encode(SAMPLES[0] as string, [], []).length,
    );
  });
});

describe('encoding parity with js-tiktoken', () => {
  for (const id of ['cl100k_base', 'o200k_base'] as const) {
    it(`gives ${id} the same token ids and counts on hand-picked texts`, () => {
      const tok = getTokenizer(id);
      for (const text of SAMPLES) {
        const expected = oracles[id].encode(text, [], []);
        expect(tok.encode(text)).toEqual(expected);
        expect(tok.count(text)).toBe(expected.length);
      }
    });

    it(`gives ${id} the same token ids and counts on random text`, () => {
      const tok = getTokenizer(id);
      const text = fc.oneof(
        fc.string({ unit: 'binary', maxLength: 80 }),
        fc.string({ unit: 'grapheme', maxLength: 80 }),
        fc.string({ maxLength: 200 }),
      );
      fc.assert(
        fc.property(text, (t) => {
          const expected = oracles[id].encode(t, [], []);
          expect(tok.encode(t)).toEqual(expected);
          expect(tok.count(t)).toBe(expected.length);
        }),
        { numRuns: 400 },
      );
    });
  }
});

describe('tokenizer', () => {
  it('counts exactly what the encoding encodes, for both encodings', () => {
    const texts = [
      'Hello, world! The quick brown fox jumps over 13 lazy dogs.',
      '  leading spaces\n\n\ttabs and newlines   \n',
      'unicode: café, naïve, 日本語のテキスト, emoji 🎉🎉',
      "code: const x = foo(bar) => { return x ?? 'y'; }",
      'special text <|endoftext|> is plain text here',
      '',
    ];
    for (const id of ['cl100k_base', 'o200k_base'] as const) {
      const tok = getTokenizer(id);
      for (const text of texts) {
        expect(tok.count(text)).toBe(tok.encode(text).length);
      }
    }
  });

  it('gives the same count on the second call (piece cache is transparent)', () => {
    const tok = getTokenizer('o200k_base');
    const text = 'repeated repeated repeated words words words';
    expect(tok.count(text)).toBe(tok.count(text));
  });

  it('loads one encoder per encoding', () => {
    expect(getTokenizer('cl100k_base')).toBe(getTokenizer('cl100k_base'));
  });

  it('rejects an unknown tokenizer with a clear error', () => {
    expect(() => getTokenizer('p99k')).toThrow(/unknown tokenizer "p99k"/);
  });
});
