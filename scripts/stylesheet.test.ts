// The renderer's one stylesheet stays well formed. CSS nesting makes an unclosed rule valid: every
// rule after it silently becomes a nested rule that matches nothing, and the build still passes.
// A merge once left two unclosed braces and unstyled the Graph view, so check the structure here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const STYLES = join(__dirname, '..', 'src-renderer', 'styles.css');

/** Line numbers where a top-level block opens inside another block that is not an at-rule. */
function structure(css: string): { depth: number; nestedRules: number[] } {
  const text = css.replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, ' '));
  const stack: boolean[] = []; // true for an at-rule block (@media, @supports, ...)
  const nestedRules: number[] = [];
  let line = 1;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n') line++;
    if (ch === '{') {
      const prelude = text.slice(start, i).trim();
      const atRule = prelude.startsWith('@');
      if (!atRule && stack.length > 0 && stack[stack.length - 1] === false) nestedRules.push(line);
      stack.push(atRule);
      start = i + 1;
    } else if (ch === '}') {
      stack.pop();
      start = i + 1;
    } else if (ch === ';') {
      start = i + 1;
    }
  }
  return { depth: stack.length, nestedRules };
}

describe('src-renderer/styles.css', () => {
  const css = readFileSync(STYLES, 'utf8');

  it('closes every block it opens', () => {
    expect(structure(css).depth).toBe(0);
  });

  it('has no rule nested in another rule (only in at-rules)', () => {
    expect(structure(css).nestedRules).toEqual([]);
  });

  it('is caught when a rule is left open', () => {
    const broken = '.a {\n  color: red;\n\n.b {\n  color: blue;\n}\n';
    expect(structure(broken)).toEqual({ depth: 1, nestedRules: [4] });
  });
});
