// The diff module: what changed between two plans (or trace records' plans), and between two prompts.
export { diffPlans } from './plan-diff';
export type {
  PlanDiff,
  DiffPlansOptions,
  AddedBlock,
  RemovedBlock,
  ChangedBlock,
  Placement,
  SectionDelta,
  RetrieverChange,
} from './plan-diff';
export type { RemovalCause } from './removal-cause';
export { diffText } from './text-diff';
export type { TextDiff, TextHunk, DiffTextOptions } from './text-diff';
