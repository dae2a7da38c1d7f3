// One vocabulary: block kinds, sections, edge kinds, reasons, retriever roles and fusion modes are
// listed once, in src-core/base/vocabulary.ts. The contract and the renderer once kept copies of
// them (kept equal by hand and by tests); now they use the module's own lists, and a list written
// out again anywhere fails here.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as vocabulary from '../src-core/base/vocabulary';
import * as contract from '../src-main/api/contract/contract-atoms';
import * as renderer from '../src-renderer/lib/vocabulary';

const ROOT = join(__dirname, '..');
const VOCABULARY = 'src-core/base/vocabulary.ts';

/** Every list of the vocabulary, by name. */
const LISTS: Readonly<Record<string, readonly string[]>> = {
  BLOCK_KINDS: vocabulary.BLOCK_KINDS,
  SECTIONS: vocabulary.SECTIONS,
  FILL_SECTIONS: vocabulary.FILL_SECTIONS,
  EDGE_KINDS: vocabulary.EDGE_KINDS,
  SELECT_REASONS: vocabulary.SELECT_REASONS,
  OMIT_REASONS: vocabulary.OMIT_REASONS,
  RETRIEVER_ROLES: vocabulary.RETRIEVER_ROLES,
  FUSION_MODES: vocabulary.FUSION_MODES,
};

/**
 * Copies inside src-core that predate the one vocabulary, in modules other work owns (an order
 * that happens to equal the list, a config schema's enum). Nothing may be added here.
 */
const KNOWN_COPIES: ReadonlySet<string> = new Set([
  'src-core/cli/verbs-trace.ts: FILL_SECTIONS',
  'src-core/config/config.ts: FUSION_MODES',
  'src-core/packer/packer.ts: SECTIONS',
  'src-core/pager/exact.ts: SECTIONS',
]);

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'node_modules' && name !== 'fixtures') sources(path, out);
    } else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) && !name.endsWith('.d.ts')) {
      out.push(path);
    }
  }
  return out;
}

/**
 * The vocabulary lists a module writes out: an array of string literals equal to a list (in its
 * order), or a union of string literal types with the list's members.
 */
function copiesIn(fileName: string, source: string): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const strings = (nodes: readonly ts.Node[]): string[] | undefined => {
    const texts = nodes.map((n) => {
      const literal = ts.isLiteralTypeNode(n) ? n.literal : n;
      return ts.isStringLiteral(literal) ? literal.text : undefined;
    });
    return texts.every((t) => t !== undefined) ? (texts as string[]) : undefined;
  };
  const visit = (node: ts.Node): void => {
    const array = ts.isArrayLiteralExpression(node) ? strings(node.elements) : undefined;
    const union = ts.isUnionTypeNode(node) ? strings(node.types) : undefined;
    for (const [name, list] of Object.entries(LISTS)) {
      if (array !== undefined && array.join('\n') === list.join('\n')) found.push(name);
      if (union !== undefined && [...union].sort().join('\n') === [...list].sort().join('\n'))
        found.push(name);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe('the vocabulary module', () => {
  it('imports nothing, so the renderer and the contract can load it', () => {
    const file = ts.createSourceFile(
      VOCABULARY,
      readFileSync(join(ROOT, VOCABULARY), 'utf8'),
      ts.ScriptTarget.Latest,
    );
    const imports = file.statements.filter(
      (s) => ts.isImportDeclaration(s) || (ts.isExportDeclaration(s) && s.moduleSpecifier),
    );
    expect(imports).toEqual([]);
  });
});

describe('the contract and the renderer', () => {
  it("use src-core's lists themselves, not copies", () => {
    expect(contract.BLOCK_KINDS).toBe(vocabulary.BLOCK_KINDS);
    expect(contract.SECTIONS).toBe(vocabulary.SECTIONS);
    expect(contract.FILL_SECTIONS).toBe(vocabulary.FILL_SECTIONS);
    expect(contract.EDGE_KINDS).toBe(vocabulary.EDGE_KINDS);
    expect(contract.RETRIEVER_ROLES).toBe(vocabulary.RETRIEVER_ROLES);
    expect(contract.FUSION_MODES).toBe(vocabulary.FUSION_MODES);
    expect(renderer.BLOCK_KINDS).toBe(vocabulary.BLOCK_KINDS);
    expect(renderer.SECTIONS).toBe(vocabulary.SECTIONS);
  });

  it("title sections with src-core's titles", () => {
    for (const section of vocabulary.SECTIONS)
      expect(renderer.sectionTitle(section)).toBe(vocabulary.SECTION_TITLES[section]);
  });
});

describe('copies', () => {
  it('are written out nowhere but the vocabulary module', () => {
    const copies = ['src-core', 'src-main', 'src-renderer']
      .flatMap((dir) => sources(join(ROOT, dir)))
      .map((path) => relative(ROOT, path))
      .filter((path) => path !== VOCABULARY)
      .flatMap((path) =>
        copiesIn(path, readFileSync(join(ROOT, path), 'utf8')).map((name) => `${path}: ${name}`),
      )
      .filter((copy) => !KNOWN_COPIES.has(copy));
    expect(copies).toEqual([]);
  });

  it('are found as arrays in order and as unions in any order', () => {
    const source = [
      "const a = ['parent', 'derived-from', 'supports', 'contradicts', 'tool-invocation'];",
      "const b = ['derived-from', 'parent', 'supports', 'contradicts', 'tool-invocation'];",
      "type C = 'max' | 'relevance';",
      "type D = 'max' | 'relevance' | 'other';",
    ].join('\n');
    expect(copiesIn('x.ts', source)).toEqual(['EDGE_KINDS', 'FUSION_MODES']);
  });
});
