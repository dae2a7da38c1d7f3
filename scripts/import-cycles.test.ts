// No import cycles anywhere in src-core, src-main and src-renderer, type-only imports included:
// each module's imports form a one-way graph (house style; the architecture issue's check).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { expect, it } from 'vitest';

const ROOT = join(__dirname, '..');

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'node_modules' && name !== 'fixtures') sources(path, out);
    } else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) && !name.endsWith('.d.ts'))
      out.push(path);
  }
  return out;
}

/** The modules each module imports (relative imports and re-exports, resolved to files). */
function importGraph(roots: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of roots.flatMap((r) => sources(join(ROOT, r)))) {
    const deps: string[] = [];
    for (const m of readFileSync(file, 'utf8').matchAll(
      /^(?:import|export)\s[^'";]*?from\s+'(\.[^']+)'/gm,
    )) {
      const base = resolve(dirname(file), m[1] as string);
      const found = [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find((c) =>
        existsSync(c),
      );
      if (found !== undefined) deps.push(relative(ROOT, found));
    }
    graph.set(relative(ROOT, file), deps);
  }
  return graph;
}

/** The strongly connected components of more than one module (Tarjan). */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const stack: string[] = [];
  const onStack = new Set<string>();
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) out.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

it('finds a cycle when there is one', () => {
  expect(
    cycles(
      new Map([
        ['a', ['b']],
        ['b', ['c']],
        ['c', ['a']],
        ['d', ['a']],
      ]),
    ),
  ).toEqual([['a', 'b', 'c']]);
});

it('src-core, src-main and src-renderer have no import cycles, type-only imports included', () => {
  expect(cycles(importGraph(['src-core', 'src-main', 'src-renderer']))).toEqual([]);
});
