import { Llm386Error } from '../base/index';
import { TERMS, termIds, type TermDictionary } from './text-terms';

/**
 * The embedding port: turns texts into vectors for the `ann` retriever.
 *
 * `id` names the embedding space (model and dimensions): embeddings are cached and indexed per
 * (embedder id, body hash), so two embedders with the same id must give the same vectors.
 */
export interface Embedder {
  /** Names the embedding space, e.g. `hash-256` or `http:nomic-embed-text`. */
  readonly id: string;
  /** Vector length (0 until known for an HTTP embedder without configured dimensions). */
  readonly dimensions: number;
  /** One vector per text, in order. */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}

/** Options of {@link featureHashingEmbedder}. */
export interface FeatureHashingOptions {
  /** Vector length; default 256. */
  readonly dimensions?: number | undefined;
}

/**
 * An embedder that works from term numbers ({@link termIds}) directly. Its vectors cost less to
 * recompute than to read back, so they are not cached in the store.
 * @internal
 */
export interface TermEmbedder extends Embedder {
  /** The vector of term numbers of `dictionary` (default the process-wide one). */
  termVector(terms: ArrayLike<number>, dictionary?: TermDictionary): Float32Array;
}

/** True for embedders that embed term numbers directly (the feature-hashing one). */
export function isTermEmbedder(embedder: Embedder): embedder is TermEmbedder {
  return typeof (embedder as Partial<TermEmbedder>).termVector === 'function';
}

/**
 * The default embedder: deterministic and offline, no model. Hashes word unigrams and bigrams
 * (the terms of `bm25`, stop-words removed) into signed buckets (FNV-1a with an avalanche step;
 * the sign from the top bit), bigrams at half weight, then L2-normalises. Same text, same vector,
 * every run and every machine. Its id is `hash-<dimensions>`.
 */
export function featureHashingEmbedder(options: FeatureHashingOptions = {}): TermEmbedder {
  const dimensions = options.dimensions ?? 256;
  if (!Number.isInteger(dimensions) || dimensions < 8 || dimensions > 8192) {
    throw new Llm386Error(
      'invalid-input',
      `feature hashing dimensions ${dimensions} out of range: use a whole number from 8 to 8192`,
    );
  }
  return {
    id: `hash-${dimensions}`,
    dimensions,
    async embed(texts) {
      return texts.map((text) => hashVector(text, dimensions));
    },
    termVector: (terms, dictionary) => termsVector(terms, dimensions, dictionary),
  };
}

/** The feature-hashing vector of one text. */
export function hashVector(text: string, dimensions: number): Float32Array {
  return termsVector(termIds(text), dimensions);
}

function termsVector(
  terms: ArrayLike<number>,
  dimensions: number,
  dictionary: TermDictionary = TERMS,
): Float32Array {
  const v = new Float32Array(dimensions);
  const hashes = dictionary.hashes;
  let previous = 0;
  for (let i = 0; i < terms.length; i++) {
    const h = hashes[terms[i] as number] as number;
    v[(h & 0x7fffffff) % dimensions]! += (h & 0x80000000) === 0 ? 1 : -1;
    if (i > 0) {
      // A bigram's hash from its two terms' hashes: no string built.
      const b = mix(Math.imul(previous, 0x9e3779b1) ^ h);
      v[(b & 0x7fffffff) % dimensions]! += (b & 0x80000000) === 0 ? 0.5 : -0.5;
    }
    previous = h;
  }
  let sum = 0;
  for (let i = 0; i < dimensions; i++) sum += (v[i] as number) * (v[i] as number);
  const length = Math.sqrt(sum);
  if (length > 0) for (let i = 0; i < dimensions; i++) v[i] = (v[i] as number) / length;
  return v;
}

function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Options of {@link httpEmbedder}. */
export interface HttpEmbedderOptions {
  /** The API root, e.g. `https://api.openai.com/v1` or `http://127.0.0.1:11434/v1` (Ollama). */
  readonly baseUrl: string;
  readonly model: string;
  /** Environment variable holding the API key; default `OPENAI_API_KEY`. Unset: no Authorization header (Ollama, LM Studio). */
  readonly apiKeyEnv?: string | undefined;
  /** Requested vector length (sent as `dimensions`, as text-embedding-3 models accept); default: the model's. */
  readonly dimensions?: number | undefined;
  /** Texts per request; default 64. */
  readonly batchSize?: number | undefined;
  /** Per-request timeout in ms; default 60,000. */
  readonly timeoutMs?: number | undefined;
  /** The environment to read the key from; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  /** The fetch implementation; default the global `fetch`. */
  readonly fetch?: typeof fetch | undefined;
}

/**
 * An embedder speaking the OpenAI-compatible `POST {baseUrl}/embeddings` with `{model, input}`:
 * works with OpenAI, Ollama, vLLM and LM Studio. Batches requests; failures are `io-error`s that
 * name the URL, the status and what to check. Its id is `http:<model>` (plus `-<dimensions>`
 * when dimensions are requested).
 */
export function httpEmbedder(options: HttpEmbedderOptions): Embedder {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const url = `${baseUrl}/embeddings`;
  const apiKeyEnv = options.apiKeyEnv ?? 'OPENAI_API_KEY';
  const batchSize = options.batchSize ?? 64;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const env = options.env ?? process.env;
  const doFetch = options.fetch ?? fetch;
  if (options.model === '')
    throw new Llm386Error('invalid-input', 'the HTTP embedder needs a model name');
  if (!/^https?:\/\//.test(baseUrl)) {
    throw new Llm386Error(
      'invalid-input',
      `embedder base URL "${options.baseUrl}" must start with http:// or https://`,
    );
  }
  let dimensions = options.dimensions ?? 0;

  async function request(input: readonly string[]): Promise<Float32Array[]> {
    const key = env[apiKeyEnv];
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (key !== undefined && key !== '') headers.authorization = `Bearer ${key}`;
    const body = JSON.stringify({
      model: options.model,
      input,
      ...(options.dimensions === undefined ? {} : { dimensions: options.dimensions }),
    });
    let response: Response;
    try {
      response = await doFetch(url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new Llm386Error(
        'io-error',
        `embedding request to ${url} failed: ${(error as Error).message}: check that the server is running and the base URL`,
        {
          cause: error,
        },
      );
    }
    const text = await response.text();
    if (!response.ok) {
      const hint =
        response.status === 401 || response.status === 403
          ? `check the API key in ${apiKeyEnv}`
          : response.status === 404
            ? `check the base URL and that model "${options.model}" exists`
            : 'check the server log, the model name and the base URL';
      throw new Llm386Error(
        'io-error',
        `embedding request to ${url} failed: HTTP ${response.status} ${snippet(text)}: ${hint}`,
        {
          details: { status: response.status },
        },
      );
    }
    let vectors: Float32Array[];
    try {
      vectors = parseEmbeddings(JSON.parse(text), input.length);
    } catch (error) {
      throw new Llm386Error(
        'io-error',
        `embedding response from ${url} is not an OpenAI embeddings response (${(error as Error).message}): check the base URL`,
        {
          cause: error,
        },
      );
    }
    for (const v of vectors) {
      if (dimensions === 0) dimensions = v.length;
      if (v.length !== dimensions) {
        throw new Llm386Error(
          'io-error',
          `embedding from ${url} has ${v.length} dimensions, expected ${dimensions}: use one model per embedder`,
        );
      }
    }
    return vectors;
  }

  return {
    id: `http:${options.model}${options.dimensions === undefined ? '' : `-${options.dimensions}`}`,
    get dimensions() {
      return dimensions;
    },
    async embed(texts) {
      const out: Float32Array[] = [];
      for (let i = 0; i < texts.length; i += batchSize)
        out.push(...(await request(texts.slice(i, i + batchSize))));
      return out;
    },
  };
}

function parseEmbeddings(json: unknown, expected: number): Float32Array[] {
  const data = (json as { data?: unknown }).data;
  if (!Array.isArray(data)) throw new Error('no "data" list');
  if (data.length !== expected) throw new Error(`${data.length} embeddings for ${expected} inputs`);
  const out = new Array<Float32Array | undefined>(expected);
  data.forEach((item: unknown, position) => {
    const { embedding, index } = item as { embedding?: unknown; index?: unknown };
    if (
      !Array.isArray(embedding) ||
      !embedding.every((x) => typeof x === 'number' && Number.isFinite(x))
    ) {
      throw new Error('an item has no numeric "embedding"');
    }
    const i = typeof index === 'number' ? index : position;
    if (!Number.isInteger(i) || i < 0 || i >= expected || out[i] !== undefined)
      throw new Error(`bad index ${String(index)}`);
    out[i] = Float32Array.from(embedding as number[]);
  });
  return out as Float32Array[];
}

function snippet(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 200 ? `${one.slice(0, 200)}...` : one;
}

/** Where an embedder spec may find HTTP settings: a retriever's `options` table. */
export type EmbedderOptions = Readonly<Record<string, unknown>>;

/**
 * Builds an embedder from a config spec:
 * - `hash` (default) or `hash-<dimensions>`: {@link featureHashingEmbedder};
 * - `openai:<model>`: OpenAI at `https://api.openai.com/v1`, key in `OPENAI_API_KEY`;
 * - `ollama:<model>`: Ollama at `http://127.0.0.1:11434/v1`, no key;
 * - `http:<model>`: any OpenAI-compatible server; `options.base_url` is required.
 * `options` may override `base_url`, `api_key_env`, `dimensions`, `batch_size`, `timeout_ms`.
 */
export function embedderFromSpec(
  spec: string | undefined,
  options: EmbedderOptions = {},
): Embedder {
  const s = spec ?? 'hash';
  const hash = /^hash(?:-(\d+))?$/.exec(s);
  if (hash !== null)
    return featureHashingEmbedder({ dimensions: hash[1] === undefined ? 256 : Number(hash[1]) });
  const http = /^(openai|ollama|http):(.+)$/.exec(s);
  if (http === null) {
    throw new Llm386Error(
      'config-invalid',
      `unknown embedder "${s}": use hash, hash-<dimensions>, openai:<model>, ollama:<model> or http:<model>`,
    );
  }
  const provider = http[1] as 'openai' | 'ollama' | 'http';
  const defaults = {
    openai: 'https://api.openai.com/v1',
    ollama: 'http://127.0.0.1:11434/v1',
    http: undefined,
  }[provider];
  const baseUrl = str(options, 'base_url') ?? str(options, 'baseUrl') ?? defaults;
  if (baseUrl === undefined)
    throw new Llm386Error(
      'config-invalid',
      `embedder "${s}" needs options.base_url (the API root, e.g. http://127.0.0.1:8000/v1)`,
    );
  return httpEmbedder({
    baseUrl,
    model: http[2] as string,
    apiKeyEnv:
      str(options, 'api_key_env') ??
      str(options, 'apiKeyEnv') ??
      (provider === 'openai'
        ? 'OPENAI_API_KEY'
        : provider === 'ollama'
          ? 'OLLAMA_API_KEY'
          : undefined),
    dimensions: num(options, 'dimensions'),
    batchSize: num(options, 'batch_size') ?? num(options, 'batchSize'),
    timeoutMs: num(options, 'timeout_ms') ?? num(options, 'timeoutMs'),
  });
}

function str(options: EmbedderOptions, key: string): string | undefined {
  const v = options[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v === '')
    throw new Llm386Error('config-invalid', `embedder option ${key} must be a non-empty string`);
  return v;
}

function num(options: EmbedderOptions, key: string): number | undefined {
  const v = options[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0)
    throw new Llm386Error(
      'config-invalid',
      `embedder option ${key} must be a positive whole number`,
    );
  return v;
}
