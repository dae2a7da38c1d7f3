// What a chip's colour means, where chips are shown: a chip names a block's kind (fact,
// tool-result, ...) and its colour is the section the kind is paged into. Without this line a
// first-time reader takes the colours for kinds, or for a decision.
import { SECTIONS, sectionTitle } from '../lib/vocabulary';
import './chip-legend.css';

/**
 * The chip legend. `sections: false` leaves out the list of section colours, where a legend beside
 * it already shows them (the Graph view's).
 */
export function ChipLegend({ sections = true }: { sections?: boolean }) {
  return (
    <p className="chip-legend" aria-label="Chip colours">
      <span className="badge section-retrieved">kind</span>{' '}
      <span>
        chips name a block’s kind, coloured by its section
        {sections ? ':' : ' (the colours above)'}
      </span>
      {sections
        ? SECTIONS.filter((s) => s !== 'task').map((s) => (
            <span key={s} className={`chip-legend-section section-${s}`}>
              <span className="swatch" aria-hidden="true" />
              {sectionTitle(s)}
            </span>
          ))
        : null}
    </p>
  );
}
