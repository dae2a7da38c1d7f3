import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffText, type TextHunk } from './text-diff';

/** Applies hunks to `a`, checking every context and removed line; returns the result. */
function applyHunks(a: string, hunks: readonly TextHunk[]): string {
  const lines = a.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const out: string[] = [];
  let at = 0;
  let last = ' ';
  for (const h of hunks) {
    const start = h.oldLines === 0 ? h.oldStart : h.oldStart - 1;
    while (at < start) out.push(lines[at++] as string);
    for (const line of h.lines) {
      if (line.startsWith('\\')) {
        // The marker belongs to the line before it: only a kept or added line reaches the output.
        if (last !== '-') out[out.length - 1] = (out[out.length - 1] as string).replace(/\n$/, '');
        continue;
      }
      last = line[0] as string;
      const body = `${line.slice(1)}\n`;
      if (line[0] === '+') out.push(body);
      else {
        const was = lines[at++] as string;
        if (was.replace(/\n$/, '') !== line.slice(1))
          throw new Error(
            `hunk does not match line ${at}: ${JSON.stringify(was)} vs ${JSON.stringify(line)}`,
          );
        if (line[0] === ' ') out.push(body);
      }
    }
  }
  while (at < lines.length) out.push(lines[at++] as string);
  return out.join('');
}

describe('diffText', () => {
  it('finds nothing between equal texts', () => {
    expect(diffText('a\nb\n', 'a\nb\n')).toEqual({ unified: '', hunks: [], added: 0, removed: 0 });
  });

  it('writes a unified diff with three lines of context', () => {
    const a = 'one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\n';
    const b = 'one\ntwo\nthree\nfour\nFIVE\nsix\nseven\neight\nnine\nten\n';
    const d = diffText(a, b, { names: ['recorded', 'replayed'] });
    expect(d.unified).toBe(
      [
        '--- recorded',
        '+++ replayed',
        '@@ -2,8 +2,9 @@',
        ' two',
        ' three',
        ' four',
        '-five',
        '+FIVE',
        ' six',
        ' seven',
        ' eight',
        ' nine',
        '+ten',
        '',
      ].join('\n'),
    );
    expect([d.added, d.removed]).toEqual([2, 1]);
  });

  it('splits changes more than twice the context apart into separate hunks', () => {
    const a = Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\n') + '\n';
    const b = a.replace('line 2\n', 'LINE 2\n').replace('line 17\n', 'LINE 17\n');
    const d = diffText(a, b, { context: 1 });
    expect(d.hunks.map((h) => [h.oldStart, h.oldLines, h.newStart, h.newLines])).toEqual([
      [2, 3, 2, 3],
      [17, 3, 17, 3],
    ]);
  });

  it('marks a last line without a newline', () => {
    expect(diffText('a\nb', 'a\nb\n').unified).toBe(
      '--- a\n+++ b\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n',
    );
  });

  it('diffs against an empty text', () => {
    expect(diffText('', 'x\ny\n').unified).toBe('--- a\n+++ b\n@@ -0,0 +1,2 @@\n+x\n+y\n');
    expect(diffText('x\n', '').unified).toBe('--- a\n+++ b\n@@ -1 +0,0 @@\n-x\n');
  });

  it('property: the hunks turn a into b, and the counts match the +/- lines', () => {
    // A small alphabet forces repeated lines (the Myers fallback and range splits); a large one, anchors.
    const text = (alphabet: string[], max: number) =>
      fc
        .array(fc.constantFrom(...alphabet), {
          minLength: max > 1000 ? max - 500 : 0,
          maxLength: max,
          size: 'max',
        })
        .chain((ls) => fc.boolean().map((nl) => ls.join('\n') + (nl && ls.length > 0 ? '\n' : '')));
    const small = ['a', 'b', 'c', '', ' a'];
    const large = Array.from({ length: 200 }, (_, i) => `line ${i}`);
    for (const [alphabet, max, runs] of [
      [small, 40, 300],
      [large, 300, 100],
      [small, 3000, 8],
    ] as const) {
      fc.assert(
        fc.property(
          text([...alphabet], max),
          text([...alphabet], max),
          fc.nat(4),
          (a, b, context) => {
            const d = diffText(a, b, { context });
            expect(applyHunks(a, d.hunks)).toBe(b);
            const lines = d.hunks.flatMap((h) => h.lines);
            expect(lines.filter((l) => l.startsWith('+')).length).toBe(d.added);
            expect(lines.filter((l) => l.startsWith('-')).length).toBe(d.removed);
            expect(d.unified === '').toBe(a === b);
          },
        ),
        { numRuns: runs },
      );
    }
  });

  it('still finds common lines when every line repeats hundreds of times', () => {
    let x = 7;
    const pick = () => {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      return ['', '---', 'ok', '}', '{'][x % 5] as string;
    };
    const a = Array.from({ length: 20_000 }, pick).join('\n');
    const b = Array.from({ length: 20_000 }, pick).join('\n');
    const d = diffText(a, b);
    expect(applyHunks(a, d.hunks)).toBe(b);
    expect(d.removed).toBeLessThan(15_000);
  });

  it('has no size cap: two ~500 KB prompts, nearly equal or unrelated, diff in well under the time limit', () => {
    const lines = (n: number, seed: number, tag: string) => {
      let x = seed;
      return Array.from({ length: n }, (_, i) => {
        x = (x * 1103515245 + 12345) & 0x7fffffff;
        return `${tag} block ${i}: value ${x.toString(36)} and some prompt words to fill the line`;
      });
    };
    const base = lines(7500, 1, 'a');
    const a = base.join('\n') + '\n';
    const edited = [...base];
    for (let i = 0; i < edited.length; i += 375) edited[i] += ' (changed)';
    edited.splice(3750, 0, ...lines(100, 9, 'new'));
    const near = edited.join('\n') + '\n';
    const unrelated = lines(7500, 2, 'b').join('\n') + '\n';
    const swapped = [...base.slice(3750), ...base.slice(0, 3750)].join('\n') + '\n';
    expect(a.length).toBeGreaterThan(480_000);
    for (const [name, b] of [
      ['near', near],
      ['unrelated', unrelated],
      ['swapped halves', swapped],
    ] as const) {
      const t = performance.now();
      const d = diffText(a, b);
      const ms = performance.now() - t;
      console.log(
        `diffText ${name}: ${a.length} vs ${b.length} chars in ${ms.toFixed(0)} ms (+${d.added} -${d.removed})`,
      );
      expect(ms).toBeLessThan(5000);
      expect(applyHunks(a, d.hunks)).toBe(b);
    }
    expect(diffText(a, near)).toMatchObject({ added: 120, removed: 20 });
    expect(diffText(a, unrelated)).toMatchObject({ added: 7500, removed: 7500 });
  });
});
