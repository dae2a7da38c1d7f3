// The Porter stemmer (M.F. Porter, "An algorithm for suffix stripping", 1980), after the author's
// reference C implementation: deterministic word-form normalisation for the text index, so
// "babies", "weddings" and "attended" match "baby", "wedding" and "attend". Applied to terms of
// ASCII letters only; anything else (numbers, other scripts) is kept as it is.

/** The Porter stem of a lower-case word; words of up to 2 letters and non-ASCII-letter terms are returned unchanged. */
export function porterStem(word: string): string {
  if (word.length <= 2 || !/^[a-z]+$/.test(word)) return word;
  const s = new Stemmer(word);
  s.step1ab();
  if (s.k > 0) {
    s.step1c();
    s.step2();
    s.step3();
    s.step4();
    s.step5();
  }
  return s.b.slice(0, s.k + 1);
}

class Stemmer {
  b: string;
  /** Index of the last letter of the current word. */
  k: number;
  /** End of the stem for the suffix being tested. */
  j = 0;

  constructor(word: string) {
    this.b = word;
    this.k = word.length - 1;
  }

  /** True when b[i] is a consonant. */
  private cons(i: number): boolean {
    const c = this.b[i];
    if (c === 'a' || c === 'e' || c === 'i' || c === 'o' || c === 'u') return false;
    if (c === 'y') return i === 0 ? true : !this.cons(i - 1);
    return true;
  }

  /** The number of consonant-vowel sequences between 0 and j. */
  private m(): number {
    let n = 0;
    let i = 0;
    const j = this.j;
    for (;;) {
      if (i > j) return n;
      if (!this.cons(i)) break;
      i++;
    }
    i++;
    for (;;) {
      for (;;) {
        if (i > j) return n;
        if (this.cons(i)) break;
        i++;
      }
      i++;
      n++;
      for (;;) {
        if (i > j) return n;
        if (!this.cons(i)) break;
        i++;
      }
      i++;
    }
  }

  private vowelInStem(): boolean {
    for (let i = 0; i <= this.j; i++) if (!this.cons(i)) return true;
    return false;
  }

  private doubleC(j: number): boolean {
    if (j < 1 || this.b[j] !== this.b[j - 1]) return false;
    return this.cons(j);
  }

  /** consonant-vowel-consonant ending at i, the last not w, x or y. */
  private cvc(i: number): boolean {
    if (i < 2 || !this.cons(i) || this.cons(i - 1) || !this.cons(i - 2)) return false;
    const c = this.b[i];
    return !(c === 'w' || c === 'x' || c === 'y');
  }

  private ends(s: string): boolean {
    const length = s.length;
    if (length > this.k + 1) return false;
    if (this.b.slice(this.k - length + 1, this.k + 1) !== s) return false;
    this.j = this.k - length;
    return true;
  }

  /** Replaces b[j+1..k] with s. */
  private setTo(s: string): void {
    this.b = this.b.slice(0, this.j + 1) + s + this.b.slice(this.k + 1);
    this.k = this.j + s.length;
  }

  private r(s: string): void {
    if (this.m() > 0) this.setTo(s);
  }

  step1ab(): void {
    if (this.b[this.k] === 's') {
      if (this.ends('sses')) this.k -= 2;
      else if (this.ends('ies')) this.setTo('i');
      else if (this.b[this.k - 1] !== 's') this.k--;
    }
    if (this.ends('eed')) {
      if (this.m() > 0) this.k--;
    } else if ((this.ends('ed') || this.ends('ing')) && this.vowelInStem()) {
      this.k = this.j;
      if (this.ends('at')) this.setTo('ate');
      else if (this.ends('bl')) this.setTo('ble');
      else if (this.ends('iz')) this.setTo('ize');
      else if (this.doubleC(this.k)) {
        this.k--;
        const c = this.b[this.k];
        if (c === 'l' || c === 's' || c === 'z') this.k++;
      } else if (this.m() === 1 && this.cvc(this.k)) this.setTo('e');
    }
  }

  step1c(): void {
    if (this.ends('y') && this.vowelInStem())
      this.b = `${this.b.slice(0, this.k)}i${this.b.slice(this.k + 1)}`;
  }

  step2(): void {
    if (this.k < 1) return;
    for (const [suffix, to] of STEP2[this.b[this.k - 1] as string] ?? []) {
      if (this.ends(suffix)) {
        this.r(to);
        return;
      }
    }
  }

  step3(): void {
    for (const [suffix, to] of STEP3[this.b[this.k] as string] ?? []) {
      if (this.ends(suffix)) {
        this.r(to);
        return;
      }
    }
  }

  step4(): void {
    if (this.k < 1) return;
    const list = STEP4[this.b[this.k - 1] as string];
    if (list === undefined) return;
    let found = false;
    for (const suffix of list) {
      if (this.ends(suffix)) {
        if (
          suffix === 'ion' &&
          !(this.j >= 0 && (this.b[this.j] === 's' || this.b[this.j] === 't'))
        )
          continue;
        found = true;
        break;
      }
    }
    if (found && this.m() > 1) this.k = this.j;
  }

  step5(): void {
    this.j = this.k;
    if (this.b[this.k] === 'e') {
      const a = this.m();
      if (a > 1 || (a === 1 && !this.cvc(this.k - 1))) this.k--;
    }
    // As in the reference, j still marks the end before any 'e' was removed.
    if (this.b[this.k] === 'l' && this.doubleC(this.k) && this.m() > 1) this.k--;
  }
}

// Suffix lists keyed by the letter the reference implementation switches on.
const STEP2: Readonly<Record<string, readonly (readonly [string, string])[]>> = {
  a: [
    ['ational', 'ate'],
    ['tional', 'tion'],
  ],
  c: [
    ['enci', 'ence'],
    ['anci', 'ance'],
  ],
  e: [['izer', 'ize']],
  l: [
    ['bli', 'ble'],
    ['alli', 'al'],
    ['entli', 'ent'],
    ['eli', 'e'],
    ['ousli', 'ous'],
  ],
  o: [
    ['ization', 'ize'],
    ['ation', 'ate'],
    ['ator', 'ate'],
  ],
  s: [
    ['alism', 'al'],
    ['iveness', 'ive'],
    ['fulness', 'ful'],
    ['ousness', 'ous'],
  ],
  t: [
    ['aliti', 'al'],
    ['iviti', 'ive'],
    ['biliti', 'ble'],
  ],
  g: [['logi', 'log']],
};

const STEP3: Readonly<Record<string, readonly (readonly [string, string])[]>> = {
  e: [
    ['icate', 'ic'],
    ['ative', ''],
    ['alize', 'al'],
  ],
  i: [['iciti', 'ic']],
  l: [
    ['ical', 'ic'],
    ['ful', ''],
  ],
  s: [['ness', '']],
};

const STEP4: Readonly<Record<string, readonly string[]>> = {
  a: ['al'],
  c: ['ance', 'ence'],
  e: ['er'],
  i: ['ic'],
  l: ['able', 'ible'],
  n: ['ant', 'ement', 'ment', 'ent'],
  o: ['ion', 'ou'],
  s: ['ism'],
  t: ['ate', 'iti'],
  u: ['ous'],
  v: ['ive'],
  z: ['ize'],
};
