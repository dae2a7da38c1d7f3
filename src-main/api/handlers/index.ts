// The contract's handlers over one open store. Each validates its input with the method's schema
// and resolves to `{ ok: true, value } | { ok: false, error: { code, message } }`; nothing throws
// across the boundary. A missing or mistyped implementation is a compile error (`Implementations`).
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { BlockQuery, previewOf } from './block-query';
import { compareImplementations } from './handlers-compare';
import { graphImplementations } from './handlers-graph';
import type { ApiContext, FeatureContext, ImplementationsOf } from './handler-context';
import { verifyImplementations } from './handlers-verify';
import { storesImplementations } from './handlers-stores';
import { asOfImplementations } from './handlers-asof';
import { storeId } from './store-id';
import { turnImplementations } from './handlers-turns';
import { whatIfImplementations } from './handlers-whatif';
import { candidatePreviews, chatView, modelView, planView, policyView, promptView } from './views';
import {
  API_INPUTS,
  API_METHODS,
  BLOCK_KINDS as WIRE_BLOCK_KINDS,
  EDGE_KINDS as WIRE_EDGE_KINDS,
  FILL_SECTIONS as WIRE_FILL_SECTIONS,
  SECTIONS as WIRE_SECTIONS,
  type ApiError,
  type ApiMethod,
  type ApiOutput,
  type ApiResult,
  type EdgeView,
  type SessionSummary,
} from '../contract';
import {
  allProfiles,
  BLOCK_KINDS,
  DEFAULT_MODEL,
  EDGE_KINDS,
  FILL_SECTIONS,
  findProfile,
  idTime,
  isLlm386Error,
  packChat,
  packString,
  pageChecked,
  recordedPolicy,
  livePolicy,
  applyOverrides,
  RUNTIME_VERSION,
  SECTIONS,
  STORE_FILE,
  STORE_FORMAT_VERSION,
  storeSource,
  type BlockId,
  type Edge,
  type PagePolicy,
  type Section,
  type Store,
  type TokenizerId,
} from '../../runtime';

// The contract's copies of the vocabulary are the runtime's (see ../contract/index.ts): both
// directions.
const kindsMatch: readonly (typeof WIRE_BLOCK_KINDS)[number][] = BLOCK_KINDS;
const sectionsMatch: readonly (typeof WIRE_SECTIONS)[number][] = SECTIONS;
const edgesMatch: readonly (typeof WIRE_EDGE_KINDS)[number][] = EDGE_KINDS;
const fillMatch: readonly (typeof WIRE_FILL_SECTIONS)[number][] = FILL_SECTIONS;
const wireKindsMatch: readonly (typeof BLOCK_KINDS)[number][] = WIRE_BLOCK_KINDS;
void [kindsMatch, sectionsMatch, edgesMatch, fillMatch, wireKindsMatch];

export type {
  ApiContext,
  FeatureContext,
  ImplementationsOf,
  InspectorHost,
} from './handler-context';

/** Every method, taking unchecked input (from IPC or HTTP) and resolving to a result. */
export type ApiHandlers = {
  readonly [K in ApiMethod]: (input: unknown) => Promise<ApiResult<ApiOutput<K>>>;
};

/** One implementation per method, on input its schema has already checked. */
type Implementations = ImplementationsOf<ApiMethod>;

/** The handlers of every method over one open store. */
export function createApiHandlers(context: ApiContext): ApiHandlers {
  return wrap(implementations(context));
}

/** Handlers for when no store is open: every method fails with `no-store` and the given message. */
export function noStoreHandlers(message: string): ApiHandlers {
  const fail = async () => ({ ok: false as const, error: { code: 'no-store', message } });
  return Object.fromEntries(API_METHODS.map((method) => [method, fail])) as unknown as ApiHandlers;
}

/** Calls a method by name, as the transports receive it; an unknown name is `unknown-method`. */
export function callApi(
  handlers: ApiHandlers,
  method: string,
  input: unknown,
): Promise<ApiResult<unknown>> {
  if (!isApiMethod(method)) {
    return Promise.resolve({
      ok: false,
      error: { code: 'unknown-method', message: `unknown API method "${method.slice(0, 80)}"` },
    });
  }
  return handlers[method](input);
}

/** True when `method` names a method of the contract. */
export function isApiMethod(method: string): method is ApiMethod {
  return (API_METHODS as readonly string[]).includes(method);
}

function wrap(impl: Implementations): ApiHandlers {
  const handlers: Partial<Record<ApiMethod, (input: unknown) => Promise<ApiResult<unknown>>>> = {};
  for (const method of API_METHODS) {
    const schema: z.ZodType = API_INPUTS[method];
    const run = impl[method] as (input: unknown) => unknown;
    handlers[method] = async (input) => {
      const parsed = schema.safeParse(input ?? {});
      if (!parsed.success) return { ok: false, error: invalidInput(method, parsed.error) };
      try {
        return { ok: true, value: await run(parsed.data) };
      } catch (error) {
        return { ok: false, error: toApiError(method, error) };
      }
    };
  }
  return handlers as ApiHandlers;
}

/** A schema failure as the `invalid-input` error every transport returns. */
export function invalidInput(method: string, error: z.ZodError): ApiError {
  const issue = error.issues[0];
  const path =
    issue === undefined || issue.path.length === 0 ? '' : `${issue.path.map(String).join('.')}: `;
  return {
    code: 'invalid-input',
    message: `${method}: ${path}${issue?.message ?? 'invalid input'}`,
  };
}

/** An exception as data: runtime errors keep their code; anything else is a bug, reported as `internal`. */
export function toApiError(method: string, error: unknown): ApiError {
  if (isLlm386Error(error)) return { code: error.code, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  console.error(`llm386 inspector: ${method} failed:`, error);
  return {
    code: 'internal',
    message: `internal error in ${method}: ${message.split('\n')[0] ?? ''}`,
  };
}

function implementations(context: ApiContext): Implementations {
  const { store, config } = context;
  const blocks = new BlockQuery(store);
  const id = storeId(store.dir);
  let sessionsCache:
    { readonly seq: number; readonly value: ApiOutput<'sessions.list'> } | undefined;
  const configPolicy = recordedPolicy(config);
  // The retriever instances are built once (they keep their indexes); overrides only change numbers.
  let livePromise: Promise<PagePolicy> | undefined;
  const live = () => (livePromise ??= livePolicy(configPolicy, store, config.source));

  const shared: FeatureContext = { ...context, blocks };
  return {
    ...turnImplementations(shared),
    ...compareImplementations(shared),
    ...whatIfImplementations(shared),
    ...graphImplementations(shared),
    ...verifyImplementations(shared),
    ...storesImplementations(shared),
    ...asOfImplementations(shared),
    'store.info': () => ({
      id,
      path: store.dir,
      formatVersion: formatVersionOf(store),
      runtimeVersion: RUNTIME_VERSION,
      blocks: store.blockCount(),
      sessions: store.sessions().length,
      sizeBytes: statSync(join(store.dir, STORE_FILE)).size,
      changeSeq: store.changeSeq(),
      readOnly: store.readOnly,
    }),

    'store.changes': () => ({ seq: store.changeSeq(), store: id }),

    'sessions.list': () => {
      // Counting per kind scans the session indexes: do it once per store change.
      const seq = store.changeSeq();
      if (sessionsCache?.seq !== seq)
        sessionsCache = { seq, value: { sessions: sessionSummaries(store) } };
      return sessionsCache.value;
    },

    'blocks.list': (input) => blocks.page(input),

    'blocks.get': (input) => {
      const record = store.requireRecord(input.id);
      const { text, binary, truncated } = blocks.fullText(record);
      const tokens: Record<string, number> = {};
      const defaultTokenizer = findProfile(DEFAULT_MODEL, config.profiles).tokenizer;
      for (const tokenizer of [
        'o200k_base',
        'cl100k_base',
      ] as const satisfies readonly TokenizerId[]) {
        const n =
          tokenizer === defaultTokenizer
            ? store.tokens(record, tokenizer)
            : store.cachedTokens(record.hash, tokenizer);
        if (n !== undefined) tokens[tokenizer] = n;
      }
      const edges = store.edges(record.id, 'both');
      const view = (edge: Edge): EdgeView => {
        const otherId = edge.from === record.id ? edge.to : edge.from;
        const other = store.getRecord(otherId);
        return {
          from: edge.from,
          kind: edge.kind,
          to: edge.to,
          other:
            other === undefined
              ? null
              : { id: other.id, kind: other.kind, preview: previewOf(blocks.body(other).text) },
        };
      };
      return {
        block: {
          ...blocks.summary(record),
          hash: record.hash,
          source: record.source ?? null,
          toolCalls: (record.toolCalls ?? []).map((c) => ({
            id: c.id,
            name: c.name,
            arguments: c.arguments,
          })),
          toolCallId: record.toolCallId ?? null,
          text,
          truncated,
          binary,
          tokens,
        },
        out: edges.filter((e) => e.from === record.id).map(view),
        in: edges.filter((e) => e.to === record.id).map(view),
      };
    },

    'models.list': () => ({
      models: allProfiles(config.profiles).map(modelView),
      defaultModel: DEFAULT_MODEL,
    }),

    'plan.page': async (input) => {
      const started = performance.now();
      const model = findProfile(input.model ?? DEFAULT_MODEL, config.profiles);
      const s = input.switches ?? {};
      const { includeTimestamps, ...pagerSwitches } = s;
      // Overrides are validated and applied by the runtime, as a what-if would be.
      const recorded = applyOverrides(configPolicy, {
        sectionBudgets: input.sectionBudgets,
        weights: input.weights,
        switches: pagerSwitches,
      });
      const base = await live();
      const weight = new Map(recorded.retrievers.map((r) => [r.name, r.weight]));
      const effective: PagePolicy = {
        ...base,
        retrievers: base.retrievers.map((r) => ({
          ...r,
          weight: weight.get(r.retriever.name) ?? r.weight,
        })),
        sectionBudgets: recorded.sectionBudgets,
        pager: recorded.pager,
        includeTimestamps: includeTimestamps ?? recorded.includeTimestamps,
      };
      const plan = await pageChecked(
        store,
        {
          session: input.session,
          task: input.task,
          model,
          budget: input.budget,
          required: input.required,
          now: input.now,
        },
        effective,
      );
      const source = storeSource(store, plan);
      const stableSections = recorded.stableSections.filter((x): x is Section =>
        (SECTIONS as readonly string[]).includes(x),
      );
      const options = { includeTimestamps: effective.includeTimestamps, stableSections };
      return {
        plan: planView(plan),
        prompt: promptView(packString(plan, source, options)),
        chat: chatView(packChat(plan, source, options)),
        blocks: candidatePreviews(blocks, plan),
        policy: policyView(effective),
        ms: performance.now() - started,
      };
    },
  };
}

function sessionSummaries(store: Store): SessionSummary[] {
  return store.sessions().map(({ session, blocks }) => {
    const kinds = store.kindCounts(session, BLOCK_KINDS) as Partial<
      Record<(typeof BLOCK_KINDS)[number], number>
    >;
    const [first] = store.listIds(session, { limit: 1 });
    const [last] = store.listIds(session, { limit: 1, reverse: true });
    // Ids are the time of writing; a block's own time is its createdAt (a backdated block has an older one).
    const at = (id: BlockId | undefined) =>
      id === undefined ? null : (store.getRecord(id)?.createdAt ?? idTime(id));
    return { session, blocks, kinds, firstAt: at(first), lastAt: at(last) };
  });
}

function formatVersionOf(store: Store): number {
  // The version the store was written with (open() refuses newer ones).
  const version: unknown = store.formatVersion();
  return typeof version === 'number' ? version : STORE_FORMAT_VERSION;
}
