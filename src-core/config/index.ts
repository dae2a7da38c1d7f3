export { parseConfig, loadConfigFile, DEFAULT_CONFIG, DEFAULT_SECTION_BUDGETS } from './config';
export type { Config, SectionBudgets, RetrieverConfig, PagerConfig } from './config';
export {
  BUILTIN_PROFILES,
  DEFAULT_MODEL,
  findProfile,
  allProfiles,
  inputBudget,
  profilePrices,
  MAX_BUDGET_TOKENS,
} from './profiles';
export type { ModelPrices, ModelProfile } from './profiles';
