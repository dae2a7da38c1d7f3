import { describe, expect, it } from 'vitest';
import { getTokenizer } from './tokenizer';

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
