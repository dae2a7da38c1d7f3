export {
  page,
  pageChecked,
  lineTokensOf,
  lineTokensCounter,
  FILL_SECTIONS,
  SPILL_ORDER,
} from './pager';
export type { PageRequest, PagePolicy, WeightedRetriever } from './pager';
export { mergeScores } from './scores';
export type { RetrieverOutput, MergedScore } from './scores';
export type {
  Plan,
  SelectedBlock,
  OmittedBlock,
  SectionPlan,
  RetrieverRun,
  RetrieverScore,
  SelectReason,
  OmitReason,
} from './plan';
