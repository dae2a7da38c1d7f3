import type { BlockKind, Section } from '../../src-main/api/contract';
import './kind-badge.css';

/** A block kind as a small coloured label; the colour is its section's. */
export function KindBadge({ kind, section }: { kind: BlockKind; section: Section }) {
  return <span className={`badge section-${section}`}>{kind}</span>;
}
