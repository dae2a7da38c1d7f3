// The runtime's vocabulary: block kinds, prompt sections, edge kinds, the reasons a plan gives,
// retriever roles and fusion modes, and the sections' titles. The one list of each: src-core's
// types derive from it, the contract (src-main/api/contract/contract-atoms.ts) re-exports it and the
// renderer (src-renderer/lib/vocabulary.ts) imports it. It imports nothing, so every layer can
// load it, the renderer included (no Node there); scripts/vocabulary.test.ts keeps it that way.

/** Block kinds, named as in the original LLM386. */
export const BLOCK_KINDS = [
  'system',
  'user-message',
  'assistant-message',
  'tool-result',
  'summary',
  'fact',
  'document-chunk',
  'plan',
  'state',
  'trace',
] as const;
/** What a block is; decides its section and whether it is deduplicated. */
export type BlockKind = (typeof BLOCK_KINDS)[number];

/** The prompt sections, in rendering order. */
export const SECTIONS = [
  'system',
  'task',
  'state',
  'plan',
  'retrieved',
  'tools',
  'recent',
  'background',
] as const;
/** A prompt section. */
export type Section = (typeof SECTIONS)[number];

/** The sections split by fractions (all but System and Task), in allocation order. */
export const FILL_SECTIONS = [
  'state',
  'plan',
  'retrieved',
  'tools',
  'recent',
  'background',
] as const satisfies readonly Section[];
/** A section split by fractions. */
export type FillSection = (typeof FILL_SECTIONS)[number];

/** Section titles, as rendered in a prompt's section headers and shown in the inspector. */
export const SECTION_TITLES: Readonly<Record<Section, string>> = {
  system: 'System',
  task: 'Task',
  state: 'State',
  plan: 'Plan',
  retrieved: 'Retrieved',
  tools: 'Tools',
  recent: 'Recent',
  background: 'Background',
};

/** The section each kind is placed in. Task holds the call's task text, never a block. */
export const KIND_SECTION: Readonly<Record<BlockKind, Section>> = {
  system: 'system',
  state: 'state',
  plan: 'plan',
  fact: 'retrieved',
  summary: 'retrieved',
  'tool-result': 'tools',
  'user-message': 'recent',
  'assistant-message': 'recent',
  'document-chunk': 'background',
  trace: 'background',
};

/** Typed, directed edge kinds. */
export const EDGE_KINDS = [
  'parent',
  'derived-from',
  'supports',
  'contradicts',
  'tool-invocation',
] as const;
/** The kind of an edge. */
export type EdgeKind = (typeof EDGE_KINDS)[number];

/** Why a plan selected a block. */
export const SELECT_REASONS = [
  'required',
  'pinned',
  'relevance',
  'recency',
  'dependency',
  'tool-pair',
  'summary-substitute',
  'system',
] as const;
/** Why a block was selected. */
export type SelectReason = (typeof SELECT_REASONS)[number];

/** Why a plan left a candidate out. */
export const OMIT_REASONS = [
  'section-budget',
  'global-budget',
  'duplicate',
  'pair-incomplete',
  'replaced-by-summary',
  'low-score',
  'body-corrupt',
] as const;
/** Why a candidate was left out. */
export type OmitReason = (typeof OMIT_REASONS)[number];

/** How fusion reads a retriever's scores (see src-core/retrievers/retriever.ts). */
export const RETRIEVER_ROLES = ['relevance', 'recency', 'inclusion'] as const;
/** A retriever's role in fusion. */
export type RetrieverRole = (typeof RETRIEVER_ROLES)[number];

/** How retrievers' scores become one fused score (see src-core/pager/scores.ts). */
export const FUSION_MODES = ['relevance', 'max'] as const;
/** A fusion mode. */
export type FusionMode = (typeof FUSION_MODES)[number];
