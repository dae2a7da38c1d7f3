// `trace what-if --config FILE`: the settings a config file sets, as what-if overrides. Only keys
// the file writes count: the parsed config fills every missing key with the built-in default,
// which would silently replace the recording's value. So the file is validated as any config,
// then read again as plain TOML to see which keys it names. The inspector's What-if exports such
// a file; LLM386_CONFIG is not read here (it is the user's standing config, not a what-if).
import { readFileSync } from 'node:fs';
import { parse as parseToml } from 'smol-toml';
import { loadConfigFile, type PagerConfig, type SectionBudgets } from '../config/index';

/** The pager switches a what-if may change: TOML key -> config field. */
export const WHAT_IF_SWITCHES: Readonly<Record<string, keyof PagerConfig>> = {
  spill: 'spill',
  include_dependencies: 'includeDependencies',
  summary_substitution: 'summarySubstitution',
  redundancy_threshold: 'redundancyThreshold',
  priority_weight: 'priorityWeight',
};

/** What a config file sets that a what-if can change. */
export interface ConfigOverrides {
  readonly sectionBudgets: Partial<Record<keyof SectionBudgets, number>>;
  /** Retriever name (its `name`, else its `kind`) -> weight, for entries that write a weight. */
  readonly weights: Record<string, number>;
  readonly switches: Partial<Record<keyof PagerConfig, boolean | number>>;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads the what-if settings a config file writes; a file that is not a valid config throws `config-invalid`. */
export function configOverrides(path: string): ConfigOverrides {
  loadConfigFile(path);
  const raw = parseToml(readFileSync(path, 'utf8')) as Record<string, unknown>;
  const sectionBudgets: Partial<Record<keyof SectionBudgets, number>> = {};
  if (isRecord(raw['section_budgets'])) {
    for (const [k, v] of Object.entries(raw['section_budgets']))
      if (typeof v === 'number') sectionBudgets[k as keyof SectionBudgets] = v;
  }
  const weights: Record<string, number> = {};
  for (const r of Array.isArray(raw['retriever']) ? raw['retriever'] : []) {
    if (!isRecord(r) || typeof r['weight'] !== 'number') continue;
    const name = typeof r['name'] === 'string' ? r['name'] : String(r['kind']);
    weights[name] = r['weight'];
  }
  const switches: Partial<Record<keyof PagerConfig, boolean | number>> = {};
  if (isRecord(raw['pager'])) {
    for (const [k, v] of Object.entries(raw['pager'])) {
      const key = WHAT_IF_SWITCHES[k];
      if (key !== undefined && (typeof v === 'boolean' || typeof v === 'number')) switches[key] = v;
    }
  }
  return { sectionBudgets, weights, switches };
}
