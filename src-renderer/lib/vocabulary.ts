// The runtime's vocabulary as the renderer needs it at run time. The renderer may import the
// contract only as types, so the lists are written as records keyed by the contract's unions:
// a kind or section added to (or dropped from) the contract is a compile error here.
import type { BlockKind, Section } from '../../src-main/api/contract';

const KINDS: Readonly<Record<BlockKind, true>> = {
  system: true,
  'user-message': true,
  'assistant-message': true,
  'tool-result': true,
  summary: true,
  fact: true,
  'document-chunk': true,
  plan: true,
  state: true,
  trace: true,
};

const SECTION_TITLES: Readonly<Record<Section, string>> = {
  system: 'System',
  task: 'Task',
  state: 'State',
  plan: 'Plan',
  retrieved: 'Retrieved',
  tools: 'Tools',
  recent: 'Recent',
  background: 'Background',
};

/** Block kinds in the contract's order. */
export const BLOCK_KINDS = Object.keys(KINDS) as readonly BlockKind[];
/** Sections in rendering order. */
export const SECTIONS = Object.keys(SECTION_TITLES) as readonly Section[];

export function sectionTitle(section: Section): string {
  return SECTION_TITLES[section];
}
