import type { BlockId } from '../base/index';
import type { BlockRecord, Store } from '../store/index';

/** What the near-duplicate test reads of a selected block. */
interface SelectedText {
  readonly choice: { readonly record: BlockRecord };
  readonly placement: 'conversation' | 'text';
}

/**
 * Near-duplicates: a block whose word set is at least `redundancyThreshold` Jaccard-similar to a
 * block selected as text is left out (off at 1). Word sets are made once per block per call.
 */
export class NearDuplicates {
  private readonly wordSets = new Map<BlockId, Set<string>>();

  constructor(
    private readonly store: Store,
    private readonly threshold: number,
  ) {}

  /** The first selected block (in selection order) that `record` nearly duplicates, if any. */
  find(record: BlockRecord, selected: ReadonlyMap<BlockId, SelectedText>): BlockId | undefined {
    const threshold = this.threshold;
    if (threshold >= 1) return undefined;
    const a = this.words(record);
    for (const [id, s] of selected) {
      if (s.placement === 'conversation') continue;
      const b = this.words(s.choice.record);
      let inter = 0;
      for (const w of a) if (b.has(w)) inter++;
      const union = a.size + b.size - inter;
      if (union > 0 && inter / union >= threshold) return id;
    }
    return undefined;
  }

  private words(record: BlockRecord): Set<string> {
    let w = this.wordSets.get(record.id);
    if (w === undefined) {
      w = new Set(
        this.store
          .text(record)
          .toLowerCase()
          .match(/[\p{L}\p{N}]+/gu) ?? [],
      );
      this.wordSets.set(record.id, w);
    }
    return w;
  }
}
