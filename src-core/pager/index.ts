export { page, pageChecked } from './pager';
export { lineTokensOf, lineTokensCounter } from './costs';
export { FILL_SECTIONS, SPILL_ORDER } from './sections';
export type { PageRequest, PagePolicy, WeightedRetriever } from './request';
export { mergeScores } from './scores';
export { plannedRecords } from './plan';
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
