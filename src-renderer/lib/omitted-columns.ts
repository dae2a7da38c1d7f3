// Decodes the column arrays of `turns.omitted` back into views. Type imports only: the renderer
// bundles it; the handler tests use it to check the round trip.
import type {
  BlockKind,
  CandidateBlockView,
  OmittedView,
  OmitReason,
  RetrieverScoreView,
  Section,
} from '../../src-main/api/contract';
import type { OmittedColumns } from '../../src-main/api/contract';

/** The views of {@link OmittedColumns}: the omitted list and the previews by id. */
export function expandOmitted(c: OmittedColumns): {
  omitted: OmittedView[];
  blocks: Record<string, CandidateBlockView>;
} {
  const omitted: OmittedView[] = [];
  const blocks: Record<string, CandidateBlockView> = {};
  const names = Object.keys(c.retrievers);
  for (let i = 0; i < c.id.length; i++) {
    const id = c.id[i] as string;
    const retrievers: Record<string, RetrieverScoreView> = {};
    for (const name of names) {
      const v = c.retrievers[name]?.[i];
      if (v !== null && v !== undefined)
        retrievers[name] = { raw: v[0], normalized: v[1], rank: v[2], contribution: v[3] };
    }
    omitted.push({
      id,
      kind: c.kindNames[c.kind[i] as number] as BlockKind,
      section: c.sectionNames[c.section[i] as number] as Section,
      reason: c.reasonNames[c.reason[i] as number] as OmitReason,
      score: c.score[i] as number,
      tokensNeeded: c.tokensNeeded[i] as number,
      tokensLeft: c.tokensLeft[i] as number,
      displacedBy: c.displacedBy[i] ?? null,
      retrievers,
    });
    const preview = c.preview[i];
    const createdAt = c.createdAt[i];
    const priority = c.priority[i];
    if (
      preview !== null &&
      preview !== undefined &&
      createdAt !== null &&
      createdAt !== undefined &&
      priority !== null &&
      priority !== undefined
    )
      blocks[id] = { preview, createdAt, priority };
  }
  return { omitted, blocks };
}
