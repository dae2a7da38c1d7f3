// Proves the layer rules of eslint.config.mjs bite: each case lints a snippet as if it lived at a
// given path and checks whether `no-restricted-imports` reports it.
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..');
// Snippets linted at paths that do not exist: without the type-aware rules (they need a real file
// in a TypeScript program; scripts/type-aware-lint.test.ts proves those).
const eslint = new ESLint({
  cwd: root,
  overrideConfigFile: join(root, 'eslint.config.mjs'),
  overrideConfig: {
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'off',
      '@typescript-eslint/await-thenable': 'off',
      '@typescript-eslint/switch-exhaustiveness-check': 'off',
    },
  },
});

/** The rule ids reported for `code` linted as the file at `filePath` (relative to the repo root). */
async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, filePath) });
  if (result === undefined) throw new Error(`ESLint returned no result for ${filePath}`);
  const fatal = result.messages.find((message) => message.fatal === true);
  if (fatal !== undefined) throw new Error(`${filePath} did not parse: ${fatal.message}`);
  // An ignored or unmatched file yields one rule-less warning; "allowed" would then pass vacuously.
  const unlinted = result.messages.find((message) => message.ruleId === null);
  if (unlinted !== undefined) throw new Error(`${filePath} was not linted: ${unlinted.message}`);
  return result.messages.map((message) => message.ruleId ?? '(none)');
}

async function isRestricted(code: string, filePath: string): Promise<boolean> {
  return (await ruleIds(code, filePath)).includes('no-restricted-imports');
}

describe('src-core layer', () => {
  const file = 'src-core/store/fake.ts';

  it('may not import electron', async () => {
    expect(
      await isRestricted(`import { app } from 'electron';\nexport const x = app;\n`, file),
    ).toBe(true);
  });

  it('may not import react or react-dom', async () => {
    expect(await isRestricted(`import React from 'react';\nexport const x = React;\n`, file)).toBe(
      true,
    );
    expect(
      await isRestricted(
        `import { createRoot } from 'react-dom/client';\nexport const x = createRoot;\n`,
        file,
      ),
    ).toBe(true);
  });

  it('may not import src-main or src-renderer', async () => {
    expect(
      await isRestricted(`import { x } from '../../src-main/index';\nexport const y = x;\n`, file),
    ).toBe(true);
    expect(
      await isRestricted(
        `import type { X } from '../../src-renderer/app';\nexport type Y = X;\n`,
        file,
      ),
    ).toBe(true);
  });

  it('may import Node built-ins', async () => {
    expect(
      await isRestricted(`import { readFile } from 'node:fs';\nexport const x = readFile;\n`, file),
    ).toBe(false);
  });
});

describe('src-core adapters', () => {
  it('keep the core free of agent frameworks', async () => {
    const file = 'src-core/runtime-fake.ts';
    expect(
      await isRestricted(
        `import type { LanguageModelMiddleware } from 'ai';\nexport type M = LanguageModelMiddleware;\n`,
        file,
      ),
    ).toBe(true);
    expect(
      await isRestricted(
        `import { StateGraph } from '@langchain/langgraph';\nexport const g = StateGraph;\n`,
        file,
      ),
    ).toBe(true);
  });

  it('may import ai in an adapter only as types', async () => {
    const file = 'src-core/adapters/fake.ts';
    expect(
      await isRestricted(
        `import type { LanguageModelMiddleware } from 'ai';\nexport type M = LanguageModelMiddleware;\n`,
        file,
      ),
    ).toBe(false);
    expect(
      await isRestricted(
        `import { generateText } from 'ai';\nexport const g = generateText;\n`,
        file,
      ),
    ).toBe(true);
    expect(
      await isRestricted(
        `import { StateGraph } from '@langchain/langgraph';\nexport const g = StateGraph;\n`,
        file,
      ),
    ).toBe(true);
  });
});

describe('src-renderer layer', () => {
  const file = 'src-renderer/views/fake.tsx';

  it('may not import lmdb or the other runtime packages', async () => {
    expect(await isRestricted(`import { open } from 'lmdb';\nexport const x = open;\n`, file)).toBe(
      true,
    );
    expect(
      await isRestricted(
        `import { Tiktoken } from 'js-tiktoken/lite';\nexport const x = Tiktoken;\n`,
        file,
      ),
    ).toBe(true);
  });

  it('may not import electron or Node built-ins', async () => {
    expect(
      await isRestricted(
        `import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n`,
        file,
      ),
    ).toBe(true);
    expect(
      await isRestricted(`import { readFile } from 'node:fs';\nexport const x = readFile;\n`, file),
    ).toBe(true);
    expect(await isRestricted(`import { join } from 'path';\nexport const x = join;\n`, file)).toBe(
      true,
    );
  });

  it('may import src-core with import type', async () => {
    expect(
      await isRestricted(`import type { X } from '../src-core/index';\nexport type Y = X;\n`, file),
    ).toBe(false);
  });

  it('may not import src-core values', async () => {
    expect(
      await isRestricted(`import { x } from '../src-core/index';\nexport const y = x;\n`, file),
    ).toBe(true);
  });

  it('may import only the contract from src-main, and only as types', async () => {
    expect(
      await isRestricted(
        `import type { Api } from '../src-main/api/contract';\nexport type A = Api;\n`,
        file,
      ),
    ).toBe(false);
    expect(
      await isRestricted(
        `import { methods } from '../src-main/api/contract';\nexport const m = methods;\n`,
        file,
      ),
    ).toBe(true);
    expect(
      await isRestricted(
        `import type { X } from '../src-main/window-options';\nexport type Y = X;\n`,
        file,
      ),
    ).toBe(true);
    expect(
      await isRestricted(
        `import type { X } from '../src-main/api/contract/contract-views';\nexport type Y = X;\n`,
        file,
      ),
    ).toBe(true);
  });
});

describe('the vocabulary', () => {
  const values = (module: string) =>
    `import { SECTIONS } from '../../src-core/${module}';\nexport const s = SECTIONS;\n`;

  it('reaches the renderer as values through lib/vocabulary.ts only', async () => {
    expect(await isRestricted(values('base/vocabulary'), 'src-renderer/lib/vocabulary.ts')).toBe(
      false,
    );
    expect(await isRestricted(values('base/vocabulary'), 'src-renderer/views/fake.tsx')).toBe(true);
    expect(await isRestricted(values('base/index'), 'src-renderer/lib/vocabulary.ts')).toBe(true);
    expect(
      await isRestricted(values('base/vocabulary-checks'), 'src-renderer/lib/vocabulary.ts'),
    ).toBe(true);
  });

  it("reaches src-main directly only in the contract's atoms", async () => {
    const atoms = 'src-main/api/contract/contract-atoms.ts';
    const up = (module: string) =>
      values(module).replace("'../../src-core/", "'../../../src-core/");
    expect(await isRestricted(up('base/vocabulary'), atoms)).toBe(false);
    expect(
      await isRestricted(up('base/vocabulary'), 'src-main/api/handlers/handlers-fake.ts'),
    ).toBe(true);
    expect(await isRestricted(up('base/errors'), atoms)).toBe(true);
  });
});

describe('src-main layer', () => {
  it('reaches src-core only through src-core/index.ts', async () => {
    const file = 'src-main/handlers/fake.ts';
    expect(
      await isRestricted(`import { x } from '../../src-core/index';\nexport const y = x;\n`, file),
    ).toBe(false);
    expect(
      await isRestricted(
        `import { x } from '../../src-core/store/store';\nexport const y = x;\n`,
        file,
      ),
    ).toBe(true);
  });

  it('lets the preload import electron and types only', async () => {
    const file = 'src-main/preload/index.ts';
    expect(
      await isRestricted(
        `import { contextBridge } from 'electron';\nexport const x = contextBridge;\n`,
        file,
      ),
    ).toBe(false);
    expect(
      await isRestricted(
        `import type { X } from '../../src-core/index';\nexport type Y = X;\n`,
        file,
      ),
    ).toBe(false);
    expect(
      await isRestricted(`import { x } from '../../src-core/index';\nexport const y = x;\n`, file),
    ).toBe(true);
    expect(await isRestricted(`import { z } from 'zod';\nexport const y = z;\n`, file)).toBe(true);
  });
});

describe('src-main/api: contract -> handlers -> registration', () => {
  const importing = (specifier: string) =>
    `import { x } from '${specifier}';\nexport const y = x;\n`;

  it('keeps the contract free of handlers, registration and the rest of src-main', async () => {
    const file = 'src-main/api/contract/contract-fake.ts';
    expect(await isRestricted(importing('./contract-atoms'), file)).toBe(false);
    expect(await isRestricted(importing('../handlers/block-query'), file)).toBe(true);
    expect(await isRestricted(importing('../handlers'), file)).toBe(true);
    expect(await isRestricted(importing('../ipc'), file)).toBe(true);
    expect(await isRestricted(importing('../../runtime'), file)).toBe(true);
    const typeOnly = `import type { X } from '../handlers/handler-context';\nexport type Y = X;\n`;
    expect(await isRestricted(typeOnly, 'src-main/api/contract/contract-atoms.ts')).toBe(true);
  });

  it('lets handlers import the contract and the runtime, never the registration', async () => {
    const file = 'src-main/api/handlers/handlers-fake.ts';
    expect(await isRestricted(importing('../contract'), file)).toBe(false);
    expect(await isRestricted(importing('../contract/contract-turns'), file)).toBe(false);
    expect(await isRestricted(importing('./block-query'), file)).toBe(false);
    expect(await isRestricted(importing('./index'), file)).toBe(false);
    expect(await isRestricted(importing('../../runtime'), file)).toBe(false);
    expect(await isRestricted(importing('../ipc'), file)).toBe(true);
    expect(await isRestricted(importing('../store-service'), file)).toBe(true);
    expect(await isRestricted(importing('../../api/open-api'), file)).toBe(true);
    expect(await isRestricted(importing('../../index'), file)).toBe(true);
    expect(await isRestricted(importing('../../web/inspect'), file)).toBe(true);
    const typeOnly = `import type { X } from '../api-threads';\nexport type Y = X;\n`;
    expect(await isRestricted(typeOnly, file)).toBe(true);
  });

  it('lets the registration import handlers and the contract', async () => {
    const file = 'src-main/api/registration-fake.ts';
    expect(await isRestricted(importing('./handlers'), file)).toBe(false);
    expect(await isRestricted(importing('./handlers/handler-context'), file)).toBe(false);
    expect(await isRestricted(importing('./contract'), file)).toBe(false);
  });
});

describe('exports', () => {
  it('forbids export default outside config files', async () => {
    expect(await ruleIds(`export default function f() {}\n`, 'src-core/base/fake.ts')).toContain(
      'no-restricted-syntax',
    );
    expect(await ruleIds(`export default {};\n`, 'playwright.config.ts')).not.toContain(
      'no-restricted-syntax',
    );
  });
});

describe('src-core state and tables', () => {
  const restrictedSyntax = async (code: string, filePath: string) =>
    (await ruleIds(code, filePath)).includes('no-restricted-syntax');

  it('bans module-level Map, WeakMap, Set and let (per-store state lives on the store)', async () => {
    const file = 'src-core/retrievers/fake.ts';
    expect(
      await restrictedSyntax(
        `const cache = new WeakMap<object, number>();\nexport const get = (k: object) => cache.get(k);\n`,
        file,
      ),
    ).toBe(true);
    expect(await restrictedSyntax(`export const seen = new Set<string>();\n`, file)).toBe(true);
    expect(
      await restrictedSyntax(
        `let last: string | undefined;\nexport const set = (s: string) => (last = s);\n`,
        file,
      ),
    ).toBe(true);
    expect(
      await restrictedSyntax(
        `export function f() {\n  const local = new Map<string, number>();\n  return local;\n}\n`,
        file,
      ),
    ).toBe(false);
    expect(
      await restrictedSyntax(
        `import { lookupSet } from '../base/index';\nexport const KINDS = lookupSet(['a']);\n`,
        file,
      ),
    ).toBe(false);
  });

  it('allows process-wide state only in the listed files', async () => {
    expect(
      await restrictedSyntax(
        `const loaded = new Map<string, number>();\nexport const get = (k: string) => loaded.get(k);\n`,
        'src-core/tokenizer/tokenizer.ts',
      ),
    ).toBe(false);
  });

  it('keeps LMDB tables inside src-core/store', async () => {
    const code = `import type { Store } from '../store/index';\nexport const f = (store: Store) => store.db.traces;\n`;
    expect(await restrictedSyntax(code, 'src-core/tracer/fake.ts')).toBe(true);
    expect(
      await restrictedSyntax(
        code.replace("'../store/index'", "'./store'"),
        'src-core/store/fake.ts',
      ),
    ).toBe(false);
    expect(
      await restrictedSyntax(
        `export const f = (h: { store: { db: unknown } }) => h.store.db;\n`,
        'src-main/api/fake.ts',
      ),
    ).toBe(true);
  });
});
