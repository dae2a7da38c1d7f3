// The runtime's vocabulary as the renderer needs it at run time: src-core's own lists and titles
// (src-core/base/vocabulary.ts), never copies. That module imports nothing, so it is the one part
// of src-core the renderer may load (eslint.config.mjs); the rest of the renderer reads the
// vocabulary through this module.
import {
  BLOCK_KINDS,
  SECTIONS,
  SECTION_TITLES,
  type Section,
} from '../../src-core/base/vocabulary';

export { BLOCK_KINDS, SECTIONS };

/** A section's title: `retrieved` is shown as "Retrieved", as in a prompt's section headers. */
export function sectionTitle(section: Section): string {
  return SECTION_TITLES[section];
}
