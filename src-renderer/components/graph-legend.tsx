// What the Graph view's colours, fills and shapes mean.
import type { EdgeKind } from '../../src-main/api/contract';
import { EDGE_STYLES } from '../lib/graph-style';
import { SECTIONS, sectionTitle } from '../lib/vocabulary';
import { ChipLegend } from './chip-legend';
import './graph-legend.css';
import './graph-side-panel.css';

export function GraphLegend({ turn }: { turn: boolean }) {
  return (
    <section className="graph-legend" aria-label="Legend">
      <h4>Legend</h4>
      <p className="legend-note muted">Node colour: the block’s section</p>
      <ul className="plain legend-sections">
        {SECTIONS.filter((s) => s !== 'task').map((s) => (
          <li key={s}>
            <span className={`swatch round section-${s}`} aria-hidden="true" />
            {sectionTitle(s)}
          </li>
        ))}
      </ul>
      <ul className="plain legend-marks">
        {turn ? (
          <>
            <li>
              <span className="mark mark-selected" aria-hidden="true" /> selected
            </li>
            <li>
              <span className="mark mark-omitted" aria-hidden="true" /> omitted
            </li>
            <li>
              <span className="mark mark-neighbour" aria-hidden="true" /> neighbour (not a
              candidate)
            </li>
            <li>
              <span className="mark mark-diamond" aria-hidden="true" /> dependency pull
            </li>
            <li>
              <span className="mark mark-pair" aria-hidden="true" /> tool pair
            </li>
          </>
        ) : (
          <li>
            <span className="mark mark-root" aria-hidden="true" /> the block asked about
          </li>
        )}
      </ul>
      <ul className="plain legend-edges">
        {(Object.keys(EDGE_STYLES) as EdgeKind[]).map((kind) => (
          <li key={kind}>
            <span
              className="edge-line"
              style={{
                borderTopColor: EDGE_STYLES[kind].color,
                borderTopStyle: EDGE_STYLES[kind].line,
              }}
              aria-hidden="true"
            />
            {EDGE_STYLES[kind].title}
          </li>
        ))}
      </ul>
      <ChipLegend sections={false} />
    </section>
  );
}
