// Flat config: typescript-eslint's recommended rules (not type-aware, to stay fast) plus the layer
// rules of ../shared/house-style.md as per-folder `no-restricted-imports`. A later block for the
// same files replaces an earlier block's options for the same rule, so every layer lists its full
// set of restrictions. scripts/layer-rules.test.ts proves the rules bite.
import { builtinModules } from 'node:module';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const TS_AND_JS = ['**/*.{ts,tsx,mts,cts,js,mjs,cjs}'];

const electron = { regex: '^electron(/|$)', message: 'Only src-main may use Electron.' };
const react = { regex: '^react(-dom)?(/|$)', message: 'React belongs to src-renderer.' };
const srcMain = { regex: '(^|/)src-main(/|$)', message: 'src-core must not depend on src-main.' };
const srcRenderer = {
  regex: '(^|/)src-renderer(/|$)',
  message: 'Only the renderer build may import src-renderer.',
};
const nodeBuiltins = [
  { regex: '^node:', message: 'The renderer has no Node: reach main through window.llm386.' },
  ...builtinModules
    .filter((name) => !name.startsWith('_'))
    .map((name) => ({
      name,
      message: 'The renderer has no Node: reach main through window.llm386.',
    })),
];
const runtimeOnlyPackages = ['lmdb', 'usearch', 'minisearch', 'js-tiktoken'].map((name) => ({
  regex: `^${name}(/|$)`,
  message: `${name} runs in main (src-core), never in the renderer.`,
}));

const aiSdk = {
  regex: '^(ai|@ai-sdk/.+)(/|$)',
  message: 'The AI SDK is an optional peer: only src-core/adapters may use it.',
};
const langchain = {
  regex: '^@langchain/',
  message: 'LangChain is not a dependency of the library: use it in examples/.',
};
const agentFrameworks = [aiSdk, langchain];

const srcCoreThroughIndex = {
  regex: '(^|/)src-core/(?!index(\\.ts)?$).+',
  message: 'Import src-core through src-core/index.ts only.',
};

// The directions inside src-main/api (contract -> handlers -> registration), on import specifiers
// as written from a file in src-main/api/contract or src-main/api/handlers.
const contractOnly = {
  regex: '^\\.\\./(?!\\.\\./\\.\\./src-core/)',
  message:
    'The contract (src-main/api/contract) imports nothing from the handlers, the registration or the rest of src-main.',
};
const handlersBelowRegistration = [
  // A file at the top of src-main/api (ipc.ts, open-api.ts, store-service.ts, api-threads.ts, ...).
  { regex: '^\\.\\./(?!contract(/|$)|\\.\\./)' },
  { regex: '^\\.{1,2}/(.*/)?api/(?!(contract|handlers)(/|$))' },
  // The transports that register them: Electron main (src-main/index.ts), the preload, web mode.
  { regex: '^\\.\\./\\.\\./(index|preload|web)(/|$)' },
].map((entry) => ({
  ...entry,
  message:
    'Handlers (src-main/api/handlers) may import the contract, never the registration (the top of src-main/api, src-main/index.ts, preload, web).',
}));

/** The renderer's restrictions; `srcCore` matches the src-core modules it may import only as types. */
function rendererRestrictions(srcCore) {
  return [
    { ...electron, message: 'The renderer reaches main only through window.llm386.' },
    ...nodeBuiltins,
    ...runtimeOnlyPackages,
    {
      regex: srcCore,
      allowTypeImports: true,
      message:
        'The renderer may import src-core only with `import type` (values of the vocabulary through lib/vocabulary.ts).',
    },
    {
      regex: '(^|/)src-main/(?!api/contract(/index(\\.ts)?)?$)',
      message:
        'From src-main the renderer may import only src-main/api/contract, with `import type`.',
    },
    {
      regex: '(^|/)src-main$',
      message:
        'From src-main the renderer may import only src-main/api/contract, with `import type`.',
    },
    {
      regex: '(^|/)src-main/api/contract(/index(\\.ts)?)?$',
      allowTypeImports: true,
      message: 'The renderer may import src-main/api/contract only with `import type`.',
    },
  ];
}

/** `no-restricted-imports` options from a list of regex / name entries. */
function restrict(entries) {
  const patterns = entries.filter((entry) => 'regex' in entry);
  const paths = entries.filter((entry) => 'name' in entry);
  return ['error', { paths, patterns }];
}

/** House style: named exports only, no `export *`. */
const NAMED_EXPORTS = [
  { selector: 'ExportDefaultDeclaration', message: 'Use named exports (house style).' },
  {
    selector: 'ExportSpecifier[exported.name="default"]',
    message: 'Use named exports (house style).',
  },
  {
    selector: 'ExportAllDeclaration',
    message: 'Name the exports instead of `export *` (house style).',
  },
];

/** Module-level mutable containers and bindings (see the src-core block below). */
const MODULE_STATE = [
  {
    selector:
      "Program > VariableDeclaration[kind='let'], Program > ExportNamedDeclaration > VariableDeclaration[kind='let']",
    message:
      'No module-level `let` in src-core: keep per-store state on the store (Store.slot) or the catalog (Catalog.poolData).',
  },
  {
    selector:
      'Program > VariableDeclaration > VariableDeclarator > NewExpression[callee.name=/^(Map|WeakMap|Set|WeakSet)$/], Program > ExportNamedDeclaration > VariableDeclaration > VariableDeclarator > NewExpression[callee.name=/^(Map|WeakMap|Set|WeakSet)$/]',
    message:
      'No module-level Map/WeakMap/Set in src-core: keep per-store state on the store (Store.slot) or the catalog (Catalog.poolData); constant lookups as object literals.',
  },
];

/** LMDB tables belong to src-core/store. */
const STORE_TABLES = [
  {
    selector: "MemberExpression[property.name='db'][object.name=/store|Store/]",
    message:
      'LMDB tables belong to src-core/store: use its typed APIs (traceLog, indexTables, embeddings, formatVersion, ...).',
  },
  {
    selector:
      "MemberExpression[property.name='db'][object.type='MemberExpression'][object.property.name='store']",
    message: 'LMDB tables belong to src-core/store: use its typed APIs.',
  },
];

export default defineConfig(
  {
    ignores: [
      'out/',
      'dist/',
      'node_modules/',
      'bench/.data/',
      'test-results/',
      'playwright-report/',
      'e2e/screenshots/',
    ],
  },
  {
    files: TS_AND_JS,
    extends: [tseslint.configs.recommended],
    rules: {
      // House style: named exports only, no `export *`.
      'no-restricted-syntax': ['error', ...NAMED_EXPORTS],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Type-aware checks (they need the TypeScript program, so they cover the typed sources only):
    // a promise nobody awaits or handles loses its error; a switch over a union must name every
    // member (or have a default) so a new member is a compile-time question, not a silent no-op.
    files: [
      'src-core/**/*.{ts,tsx}',
      'src-main/**/*.{ts,tsx}',
      'src-renderer/**/*.{ts,tsx}',
      'e2e/**/*.ts',
    ],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
    },
  },
  {
    // Tools load these through a default export.
    files: ['**/*.config.{ts,mts,cts,js,mjs,cjs}'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },

  // Layers. src-core: no Electron, React, src-main or src-renderer; Node built-ins are fine. Agent
  // frameworks are optional peers: only src-core/adapters may name them, and `ai` only as types.
  {
    files: ['src-core/**/*.{ts,tsx,mts,cts}'],
    rules: {
      'no-restricted-imports': restrict([
        electron,
        react,
        srcMain,
        { ...srcRenderer, message: 'src-core must not depend on src-renderer.' },
        ...agentFrameworks,
      ]),
    },
  },
  {
    files: ['src-core/adapters/**/*.{ts,tsx,mts,cts}'],
    ignores: ['src-core/adapters/**/*.test.ts'],
    rules: {
      'no-restricted-imports': restrict([
        electron,
        react,
        srcMain,
        { ...srcRenderer, message: 'src-core must not depend on src-renderer.' },
        {
          ...aiSdk,
          allowTypeImports: true,
          message:
            'An adapter imports `ai` with `import type` only: loading it must not load the SDK.',
        },
        langchain,
      ]),
    },
  },
  {
    // Tests of an adapter drive the real framework.
    files: ['src-core/adapters/**/*.test.ts'],
    rules: {
      'no-restricted-imports': restrict([
        electron,
        react,
        srcMain,
        { ...srcRenderer, message: 'src-core must not depend on src-renderer.' },
      ]),
    },
  },
  // src-main: reaches src-core only through src-core/index.ts; never the renderer or React.
  {
    files: ['src-main/**/*.{ts,tsx,mts,cts}'],
    rules: {
      'no-restricted-imports': restrict([react, srcRenderer, srcCoreThroughIndex]),
    },
  },
  // src-main/api is one-way folders: contract -> handlers -> registration (the files at the top of
  // src-main/api: ipc.ts, open-api.ts, store-service.ts, the API threads and worker). Each folder's
  // block lists src-main's restrictions plus its direction.
  {
    files: ['src-main/api/contract/**/*.{ts,tsx,mts,cts}'],
    rules: {
      'no-restricted-imports': restrict([react, srcRenderer, srcCoreThroughIndex, contractOnly]),
    },
  },
  // The contract's atoms re-export the vocabulary from its own module: src-core/index.ts would make
  // the renderer's type check of the contract load all of src-core (see
  // src-main/api/contract/index.ts).
  {
    files: ['src-main/api/contract/contract-atoms.ts'],
    rules: {
      'no-restricted-imports': restrict([
        react,
        srcRenderer,
        {
          regex: '(^|/)src-core/(?!(index|base/vocabulary)(\\.ts)?$).+',
          message:
            'Import src-core through src-core/index.ts only (the contract may also import src-core/base/vocabulary).',
        },
        contractOnly,
      ]),
    },
  },
  {
    files: ['src-main/api/handlers/**/*.{ts,tsx,mts,cts}'],
    rules: {
      'no-restricted-imports': restrict([
        react,
        srcRenderer,
        srcCoreThroughIndex,
        ...handlersBelowRegistration,
      ]),
    },
  },
  // The preload is sandboxed: `electron` and types only (electron.vite.config.ts also fails the build).
  {
    files: ['src-main/preload/**/*.{ts,tsx,mts,cts}'],
    rules: {
      'no-restricted-imports': restrict([
        {
          regex: '^(?!electron$).*',
          allowTypeImports: true,
          message: "The sandboxed preload may import only 'electron' and types (`import type`).",
        },
      ]),
    },
  },
  // src-renderer: no Node, Electron or runtime packages; src-core and the contract as types only.
  {
    // Each module owns its tables behind the store's typed APIs: nothing outside src-core/store
    // reads or writes LMDB tables or knows their key layouts (tests that damage a store on
    // purpose are the exception).
    files: [
      'src-core/**/*.{ts,tsx,mts,cts}',
      'src-main/**/*.{ts,tsx,mts,cts}',
      'examples/**/*.{ts,mts}',
    ],
    ignores: ['src-core/store/**', '**/*.test.ts', '**/test-helpers.ts', '**/cli-test-helpers.ts'],
    rules: {
      'no-restricted-syntax': ['error', ...NAMED_EXPORTS, ...STORE_TABLES],
    },
  },
  {
    // No module-level per-store state in src-core: state lives on the open store (`Store.slot`) or
    // the catalog (`Catalog.poolData`), created and closed with it. A module-level Map, WeakMap,
    // Set or `let` is allowed only in the files below, each for process-wide state:
    // - tokenizer/tokenizer.ts: the BPE tables each tokenizer loads once per process;
    // - retrievers/text-terms.ts: the process's term dictionary memo (term numbers are per process);
    // - store/store.ts: the stores open in this process, closed under their lock at exit;
    // - store/open-lock.ts: the open locks this process holds.
    files: ['src-core/**/*.{ts,mts}'],
    ignores: [
      '**/*.test.ts',
      '**/test-fixtures.ts',
      '**/test-fixtures/**',
      '**/test-helpers.ts',
      'src-core/tokenizer/tokenizer.ts',
      'src-core/retrievers/text-terms.ts',
      'src-core/store/store.ts',
      'src-core/store/open-lock.ts',
      'src-core/store/**',
    ],
    rules: {
      'no-restricted-syntax': ['error', ...NAMED_EXPORTS, ...MODULE_STATE, ...STORE_TABLES],
    },
  },

  {
    files: ['src-renderer/**/*.{ts,tsx,mts,cts}'],
    rules: {
      'no-restricted-imports': restrict(rendererRestrictions('(^|/)src-core(/|$)')),
    },
  },
  // The renderer reads the vocabulary through lib/vocabulary.ts, which loads src-core's vocabulary
  // module itself: it imports nothing, so no Node code comes with it.
  {
    files: ['src-renderer/lib/vocabulary.ts'],
    rules: {
      'no-restricted-imports': restrict(
        rendererRestrictions('(^|/)src-core(?!/base/vocabulary(\\.ts)?$)(/|$)'),
      ),
    },
  },
);
