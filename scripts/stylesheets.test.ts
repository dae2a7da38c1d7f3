// The renderer's stylesheets stay well formed, loaded and in use. Each view and component keeps its
// rules in a .css file beside it, imported by it; src-renderer/styles.css, linked from index.html,
// holds the theme, the shell and the pieces several views share.
//
// CSS nesting makes an unclosed rule valid: every rule after it silently becomes a nested rule that
// matches nothing, and the build still passes. A merge once left two unclosed braces in the one
// stylesheet the renderer had then and unstyled the Graph view. So each file's structure is
// checked, every stylesheet must be loaded, and every class a component names in `className` must
// be defined in some stylesheet: a rule lost in a merge fails here instead of on screen.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const RENDERER = join(__dirname, '..', 'src-renderer');
/** The global stylesheets (theme, then shell), linked from index.html; every other one is imported by a module. */
const GLOBALS: readonly string[] = ['theme.css', 'styles.css'];

/**
 * Classes components name without styling them: hooks for tests and readers. A class here must be
 * used and undefined; style one and it leaves this list.
 */
const UNSTYLED: ReadonlySet<string> = new Set([
  'asof-block',
  'asof-graph-bar',
  'asof-then',
  'between-group',
  'block-turns',
  'budget',
  'cause',
  'compare-view',
  'delta',
  'diff-blocks',
  'filters',
  'flagged',
  'legend-edges',
  'legend-marks',
  'legend-sections',
  'output',
  'output-line',
  'page-view',
  'pane-section',
  'prompt',
  'prompt-diff',
  'replay',
  'state-body',
  'state-empty',
  'store-view',
  'system',
  'turn-view',
  'turns-view',
  'usage-check',
  'user-turn-message',
  'whatif-view',
  'why-facts',
]);

function files(dir: string, test: (name: string) => boolean, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files(path, test, out);
    else if (test(name)) out.push(path);
  }
  return out.sort();
}

const stylesheets = files(RENDERER, (name) => name.endsWith('.css'));
const modules = files(
  RENDERER,
  (name) => /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) && !name.endsWith('.d.ts'),
);
const rel = (path: string) => relative(RENDERER, path);

/** Comments blanked out, line breaks kept (so line numbers stay right). */
function withoutComments(css: string): string {
  return css.replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, ' '));
}

/**
 * The block structure of a stylesheet: how many blocks are left open at the end, the lines where a
 * rule opens inside another rule (not an at-rule), and every rule's selector text.
 */
function structure(css: string): { depth: number; nestedRules: number[]; selectors: string[] } {
  const text = withoutComments(css);
  const stack: boolean[] = []; // true for an at-rule block (@media, @supports, ...)
  const nestedRules: number[] = [];
  const selectors: string[] = [];
  let line = 1;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n') line++;
    if (ch === '{') {
      const prelude = text.slice(start, i).trim();
      const atRule = prelude.startsWith('@');
      if (!atRule && stack.length > 0 && stack[stack.length - 1] === false) nestedRules.push(line);
      // Keyframe steps (from, to, 50%) are read too; they name no class.
      if (!atRule) selectors.push(prelude);
      stack.push(atRule);
      start = i + 1;
    } else if (ch === '}') {
      stack.pop();
      start = i + 1;
    } else if (ch === ';') {
      start = i + 1;
    }
  }
  return { depth: stack.length, nestedRules, selectors };
}

/** The class names a selector list mentions (`.a.b > .c:not(.d)` gives a, b, c, d). */
function selectorClasses(selector: string): string[] {
  const bare = selector.replace(/\[[^\]]*\]/g, '').replace(/'[^']*'|"[^"]*"/g, '');
  return [...bare.matchAll(/\.(-?[_a-zA-Z][\w-]*)/g)].map((m) => m[1] as string);
}

/**
 * The class names a module gives in `className` attributes: whole names, and prefixes of names
 * completed at run time (`section-${s}` gives the prefix `section-`).
 */
function classNamesIn(
  fileName: string,
  source: string,
): { names: Set<string>; prefixes: Set<string> } {
  const file = ts.createSourceFile(
    fileName,
    source,
    ts.ScriptTarget.Latest,
    true,
    ts.ScriptKind.TSX,
  );
  const names = new Set<string>();
  const prefixes = new Set<string>();
  // A literal piece of a class list; `joinsBefore`/`joinsAfter`: a substitution touches its start/end.
  const add = (text: string, joinsBefore: boolean, joinsAfter: boolean) => {
    const words = text.split(/\s+/);
    words.forEach((word, i) => {
      if (word === '') return;
      if (i === 0 && joinsBefore) return; // the end of a name made at run time: unknown
      if (i === words.length - 1 && joinsAfter) prefixes.add(word);
      else names.add(word);
    });
  };
  const collect = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      add(node.text, false, false);
    } else if (ts.isTemplateExpression(node)) {
      add(node.head.text, false, true);
      for (const span of node.templateSpans) {
        collect(span.expression);
        add(span.literal.text, true, ts.isTemplateMiddle(span.literal));
      }
    } else {
      ts.forEachChild(node, collect);
    }
  };
  const visit = (node: ts.Node): void => {
    if (ts.isJsxAttribute(node) && node.name.getText(file) === 'className' && node.initializer)
      collect(node.initializer);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return { names, prefixes };
}

/** The stylesheets a module imports, resolved to paths (`import './x.css';`). */
function cssImports(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(/^import\s+'(\.[^']+\.css)';/gm)].map((m) =>
    resolve(dirname(file), m[1] as string),
  );
}

describe.each(stylesheets.map((path) => [rel(path), path]))('%s', (_name, path) => {
  const css = readFileSync(path, 'utf8');

  it('closes every block it opens', () => {
    expect(structure(css).depth).toBe(0);
  });

  it('has no rule nested in another rule (only in at-rules)', () => {
    expect(structure(css).nestedRules).toEqual([]);
  });
});

describe('the structure check', () => {
  it('catches a rule left open', () => {
    const broken = '.a {\n  color: red;\n\n.b {\n  color: blue;\n}\n';
    expect(structure(broken)).toMatchObject({ depth: 1, nestedRules: [4] });
  });

  it('reads the selectors of rules in media queries, not keyframe steps', () => {
    const css = '.a, .b:hover {}\n@media (x) { .c > .d {} }\n@keyframes k { to { top: 0 } }\n';
    expect(structure(css).selectors.flatMap(selectorClasses)).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('loading', () => {
  const imported = new Map<string, string[]>();
  for (const module of modules)
    for (const css of cssImports(module))
      imported.set(css, [...(imported.get(css) ?? []), rel(module)]);

  it('links the global stylesheets from index.html, theme first', () => {
    const html = readFileSync(join(RENDERER, 'index.html'), 'utf8');
    const at = GLOBALS.map((name) => html.indexOf(`<link rel="stylesheet" href="./${name}" />`));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it('imports every other stylesheet from a module (an unimported one styles nothing)', () => {
    const unimported = stylesheets
      .filter((path) => !GLOBALS.includes(rel(path)) && !imported.has(path))
      .map(rel);
    expect(unimported).toEqual([]);
  });

  it('imports only stylesheets that exist', () => {
    const missing = [...imported]
      .filter(([css]) => !existsSync(css))
      .map(([css, by]) => `${rel(css)} (imported by ${by.join(', ')})`);
    expect(missing).toEqual([]);
  });

  it('has each component or view import the stylesheet beside it', () => {
    const notImported = stylesheets
      .map((css) => [css, css.replace(/\.css$/, '.tsx')] as const)
      .filter(([css, module]) => existsSync(module) && !cssImports(module).includes(css))
      .map(([css, module]) => `${basename(module)} does not import ./${basename(css)}`);
    expect(notImported).toEqual([]);
  });
});

describe('class names', () => {
  const defined = new Set(
    stylesheets.flatMap((path) =>
      structure(readFileSync(path, 'utf8')).selectors.flatMap(selectorClasses),
    ),
  );
  const used = modules.map((path) => ({
    module: rel(path),
    ...classNamesIn(path, readFileSync(path, 'utf8')),
  }));

  it('defines every class a component names in className (or lists it as unstyled)', () => {
    const undefinedNames = used.flatMap(({ module, names, prefixes }) => [
      ...[...names]
        .filter((name) => !defined.has(name) && !UNSTYLED.has(name))
        .map((name) => `${module}: .${name}`),
      ...[...prefixes]
        .filter((prefix) => ![...defined, ...UNSTYLED].some((name) => name.startsWith(prefix)))
        .map((prefix) => `${module}: .${prefix}*`),
    ]);
    expect(undefinedNames).toEqual([]);
  });

  it('lists as unstyled only classes that are used and not defined', () => {
    const usedNames = new Set(used.flatMap(({ names }) => [...names]));
    const stale = [...UNSTYLED].filter((name) => defined.has(name) || !usedNames.has(name));
    expect(stale).toEqual([]);
  });

  it('reads whole names and run-time prefixes from className', () => {
    const source =
      'const x = <div className={`badge section-${s}${big ? " wide" : ""}`}><i className={on ? "a b" : "c"} /></div>;';
    const { names, prefixes } = classNamesIn('x.tsx', source);
    expect([...names].sort()).toEqual(['a', 'b', 'badge', 'c', 'wide']);
    expect([...prefixes]).toEqual(['section-']);
  });
});
