// Deterministic synthetic text for benchmarks: a Zipf-distributed vocabulary, so token pieces
// repeat the way natural language does.
const SYLLABLES = [
  'ka',
  'lo',
  'mi',
  'ne',
  'ru',
  'ta',
  'vo',
  'shi',
  'gen',
  'dar',
  'pel',
  'qu',
  'zon',
  'bri',
  'fet',
  'hal',
  'jor',
  'wix',
];
const COMMON =
  'the of and to a in is it you that he was for on are with as I his they be at one have this from or had by hot word but what some we can out other were all there when up use your how said an each she which do their time if will way about many then them write would like so these her long make thing see him two has look more day could go come did number sound no most people my over know water than call first who may down side been now find'.split(
    ' ',
  );

/** A seeded PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A vocabulary of `size` words: common English words first, then made-up ones. */
export function vocabulary(size: number, random: () => number): string[] {
  const words = [...COMMON];
  while (words.length < size) {
    const n = 1 + Math.floor(random() * 3);
    let w = '';
    for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
    words.push(w);
  }
  return words;
}

/** A sentence-like text of about `chars` characters drawn Zipf-style from `words`. */
export function text(words: readonly string[], chars: number, random: () => number): string {
  let out = '';
  let sentenceStart = true;
  while (out.length < chars) {
    const rank = Math.floor(Math.pow(random(), 2.2) * words.length);
    let w = words[rank] ?? 'word';
    if (sentenceStart) w = w.charAt(0).toUpperCase() + w.slice(1);
    out += (out === '' ? '' : ' ') + w;
    sentenceStart = random() < 0.08;
    if (sentenceStart) out += random() < 0.2 ? '?' : '.';
    else if (random() < 0.04) out += ',';
    if (random() < 0.02) out += ` ${Math.floor(random() * 10000)}`;
  }
  return out;
}
