// The settings of a retriever that decide where data is sent or what code runs: an embedder that
// speaks HTTP, its endpoint (`options.base_url`), the environment variable holding its key
// (`options.api_key_env`), and a custom module. A trace record and a bundle carry them as they were
// recorded, but a recording is a file: it must never choose them. Replay and what-if take them
// from the current config, matched by retriever name; bundles refuse to carry them.
import { Llm386Error, lookupSet } from '../base/index';
import type { RetrieverConfig } from '../config/index';
import type { RecordedPolicy } from './trace';

/** One setting of a retriever that sends data somewhere or loads code. */
export interface ExternalSetting {
  readonly retriever: string;
  readonly setting: 'embedder' | 'endpoint' | 'key variable' | 'module';
  readonly value: string;
}

const ENDPOINT_OPTIONS = ['base_url', 'baseUrl'] as const;
const KEY_OPTIONS = ['api_key_env', 'apiKeyEnv'] as const;
const EXTERNAL_OPTIONS: ReadonlySet<string> = lookupSet<string>([
  ...ENDPOINT_OPTIONS,
  ...KEY_OPTIONS,
]);

/** True for an embedder spec computed in process (`hash`, `hash-<n>`, or none: the default). */
export function isLocalEmbedder(spec: string | undefined): boolean {
  return spec === undefined || /^hash(-\d+)?$/.test(spec);
}

function optionText(
  options: RetrieverConfig['options'],
  keys: readonly string[],
): string | undefined {
  for (const key of keys) {
    const value = options?.[key];
    if (value !== undefined) return typeof value === 'string' ? value : JSON.stringify(value);
  }
  return undefined;
}

/** The settings of one retriever entry that send data somewhere or load code, in a fixed order. */
export function externalSettings(r: RetrieverConfig): ExternalSetting[] {
  const out: ExternalSetting[] = [];
  if (!isLocalEmbedder(r.embedder))
    out.push({ retriever: r.name, setting: 'embedder', value: r.embedder as string });
  const endpoint = optionText(r.options, ENDPOINT_OPTIONS);
  if (endpoint !== undefined) out.push({ retriever: r.name, setting: 'endpoint', value: endpoint });
  const key = optionText(r.options, KEY_OPTIONS);
  if (key !== undefined) out.push({ retriever: r.name, setting: 'key variable', value: key });
  if (r.kind === 'custom' || r.module !== undefined)
    out.push({ retriever: r.name, setting: 'module', value: r.module ?? '' });
  return out;
}

/** `retriever "x" names the endpoint http://...` */
export function describeSetting(s: ExternalSetting): string {
  return `retriever "${s.retriever}" names the ${s.setting} ${JSON.stringify(s.value)}`;
}

/** The retriever entry without endpoint and key options (what a bundle may carry of it). */
export function withoutEndpoints(r: RetrieverConfig): RetrieverConfig {
  if (r.options === undefined || !Object.keys(r.options).some((k) => EXTERNAL_OPTIONS.has(k)))
    return r;
  const options = Object.fromEntries(
    Object.entries(r.options).filter(([k]) => !EXTERNAL_OPTIONS.has(k)),
  );
  return { ...r, options };
}

/** A recorded policy with its external settings taken from the current config. */
export interface ResolvedPolicy {
  readonly policy: RecordedPolicy;
  /** Each recorded value the current config replaced with another, in words. */
  readonly differences: readonly string[];
}

/**
 * Takes every embedder, endpoint, key variable and module of a recorded policy from the current
 * config's retriever of the same name (and kind); all other settings stay as recorded. A recorded
 * retriever with such settings and no counterpart in the current config is a `config-invalid`
 * error: nothing recorded ever decides where data is sent or what code runs.
 */
export function resolveExternal(
  recorded: RecordedPolicy,
  current: readonly RetrieverConfig[] | undefined,
): ResolvedPolicy {
  const differences: string[] = [];
  const retrievers = recorded.retrievers.map((r) => {
    const settings = externalSettings(r);
    if (settings.length === 0) return r;
    const now = current?.find((c) => c.name === r.name && c.kind === r.kind);
    if (now === undefined) {
      throw new Llm386Error(
        'config-invalid',
        `the recorded ${describeSetting(settings[0] as ExternalSetting)}: replay and what-if take endpoints, key variables and modules only from the current config; add a [[retriever]] named "${r.name}" (kind ${r.kind}) to it and pass it with --config`,
      );
    }
    const nowSettings = externalSettings(now);
    for (const setting of ['embedder', 'endpoint', 'key variable', 'module'] as const) {
      const was = settings.find((s) => s.setting === setting)?.value;
      const is = nowSettings.find((s) => s.setting === setting)?.value;
      if (was !== is)
        differences.push(
          `retriever "${r.name}": ${setting} ${was === undefined ? '(none)' : JSON.stringify(was)} recorded, ${is === undefined ? '(none)' : JSON.stringify(is)} in the current config`,
        );
    }
    const kept = Object.entries(r.options ?? {}).filter(([k]) => !EXTERNAL_OPTIONS.has(k));
    const taken = Object.entries(now.options ?? {}).filter(([k]) => EXTERNAL_OPTIONS.has(k));
    const options =
      kept.length + taken.length === 0 ? undefined : Object.fromEntries([...kept, ...taken]);
    const rest: { -readonly [K in keyof RetrieverConfig]: RetrieverConfig[K] } = { ...r };
    delete rest.embedder;
    delete rest.module;
    delete rest.options;
    return {
      ...rest,
      ...(now.embedder === undefined ? {} : { embedder: now.embedder }),
      ...(now.module === undefined ? {} : { module: now.module }),
      ...(options === undefined ? {} : { options }),
    };
  });
  return { policy: { ...recorded, retrievers }, differences };
}
