// The clicked block beside the graph, so looking at one never leaves the view: what it is, the start
// of its text, its token counts, its edges both ways (a click selects the block at the other end,
// where it is drawn), and where to look next: the Blocks view, its own graph, its why / why not in
// the turn, and the recorded turns that selected or omitted it.
import { useState } from 'react';
import type { EdgeView, GraphNodeView, GraphResult } from '../../src-main/api/contract';
import { useApi } from '../api/api-context';
import { formatInt, shortId } from '../lib/format';
import { formatHash } from '../lib/route';
import { useQuery } from '../lib/use-query';
import { sectionTitle } from '../lib/vocabulary';
import { turnRoute } from '../views/turns-view';
import { BlockTurns } from './block-turns';
import { KindBadge } from './kind-badge';
import { ErrorState, Loading } from './states';
import './graph-side-panel.css';

/** Characters of the body shown here; the Blocks view shows it all. */
export const BODY_PREVIEW = 600;

export interface GraphSidePanelProps {
  readonly node: GraphNodeView;
  readonly turn: GraphResult['turn'];
  /** Where the node is: drawn and shown, hidden by the filters, or listed only (not drawn). */
  readonly place: 'shown' | 'filtered' | 'listed';
  /** True when a block is drawn in this graph (an edge's other end can be selected in place). */
  readonly isDrawn: (id: string) => boolean;
  readonly onSelect: (id: string) => void;
  readonly onClose: () => void;
}

export function GraphSidePanel({
  node,
  turn,
  place,
  isDrawn,
  onSelect,
  onClose,
}: GraphSidePanelProps) {
  const call = useApi();
  const block = useQuery(`blocks.get:${node.id}`, () => call('blocks.get', { id: node.id }));
  const data = block.data;
  const labels = data?.block.labels ?? node.labels ?? [];
  // The turns are looked up when asked for: reading them scans trace records.
  const [turnsOpen, setTurnsOpen] = useState(false);
  return (
    <section className="graph-details" aria-labelledby="graph-details-title">
      <header className="graph-details-header">
        <h4 id="graph-details-title">Selected block</h4>
        <button
          type="button"
          className="icon-button"
          onClick={onClose}
          aria-label="Clear the selection"
          title="Clear the selection (Esc)"
        >
          ×
        </button>
      </header>
      <p>
        <KindBadge kind={node.kind} section={node.section} />{' '}
        <span className="muted">{sectionTitle(node.section)}</span>
        {node.role === 'neighbour' ? (
          <span className="muted"> · neighbour</span>
        ) : node.role === 'root' ? (
          <span className="muted"> · the block asked about</span>
        ) : (
          <>
            {' '}
            · <span className={`role role-${node.role}`}>{node.role}</span>
            {node.reason === null ? null : <>: {node.reason}</>}
            {node.tokens === null ? null : (
              <span className="muted"> · {formatInt(node.tokens)} tokens</span>
            )}
          </>
        )}
      </p>
      {place === 'shown' ? null : (
        <p className="muted" role="note">
          {place === 'filtered'
            ? 'Hidden by the filters: clear them to see it in the graph.'
            : 'Not drawn: an omitted candidate with no edges and a low score.'}
        </p>
      )}
      {labels.length === 0 ? null : (
        <p>
          <span className="muted">Labels</span> {labels.join(', ')}
        </p>
      )}
      {block.error !== undefined ? (
        <ErrorState
          title="This block could not be read"
          error={block.error}
          onRetry={block.reload}
        />
      ) : data === undefined ? (
        <>
          <p className="graph-details-text">{node.preview}</p>
          <Loading label="Loading the block…" />
        </>
      ) : (
        <>
          <pre className="graph-details-body" aria-label="Block text">
            {data.block.text.slice(0, BODY_PREVIEW)}
            {data.block.text.length > BODY_PREVIEW || data.block.truncated ? '…' : ''}
          </pre>
          {data.block.text.length > BODY_PREVIEW || data.block.truncated ? (
            <p className="muted">
              The first {formatInt(BODY_PREVIEW)} characters; Open in Blocks shows it all.
            </p>
          ) : null}
          <p className="muted">
            Text tokens{' '}
            {Object.entries(data.block.tokens)
              .map(([tokenizer, n]) => `${formatInt(n)} (${tokenizer})`)
              .join(', ') || '—'}
          </p>
          <EdgeList
            title="Edges out"
            edges={data.out}
            direction="out"
            session={node.session}
            isDrawn={isDrawn}
            onSelect={onSelect}
          />
          <EdgeList
            title="Edges in"
            edges={data.in}
            direction="in"
            session={node.session}
            isDrawn={isDrawn}
            onSelect={onSelect}
          />
        </>
      )}
      <p className="mono muted graph-details-id">{node.id}</p>
      <p className="graph-details-links">
        <a href={formatHash({ view: 'blocks', params: { session: node.session, block: node.id } })}>
          Open in Blocks
        </a>
        <a href={formatHash({ view: 'graph', params: { block: node.id } })}>Graph around it</a>
        {turn === null || node.role === 'neighbour' || node.role === 'root' ? null : (
          <a href={formatHash(turnRoute({ callId: turn.callId, session: turn.session }, node.id))}>
            Why, in the turn
          </a>
        )}
      </p>
      <details className="graph-details-turns" onToggle={(e) => setTurnsOpen(e.currentTarget.open)}>
        <summary>Turns that selected or omitted it</summary>
        {turnsOpen ? <BlockTurns id={node.id} /> : null}
      </details>
    </section>
  );
}

/** A block's edges one way: the other end is selected in place when drawn, else opened in Blocks. */
function EdgeList({
  title,
  edges,
  direction,
  session,
  isDrawn,
  onSelect,
}: {
  title: string;
  edges: readonly EdgeView[];
  direction: 'in' | 'out';
  session: string;
  isDrawn: (id: string) => boolean;
  onSelect: (id: string) => void;
}) {
  return (
    <div className="graph-details-edges">
      <h5>
        {title} <span className="muted">{formatInt(edges.length)}</span>
      </h5>
      {edges.length === 0 ? (
        <p className="muted">none</p>
      ) : (
        <ul className="plain" aria-label={title}>
          {edges.map((edge) => {
            const other = direction === 'out' ? edge.to : edge.from;
            const text =
              edge.other === null
                ? shortId(other)
                : `${edge.other.kind}: ${edge.other.preview || shortId(other)}`;
            return (
              <li key={`${edge.from}:${edge.kind}:${edge.to}`}>
                <span className="edge-kind">
                  {direction === 'out' ? `${edge.kind} →` : `← ${edge.kind}`}
                </span>{' '}
                {isDrawn(other) ? (
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => onSelect(other)}
                    title={`Select ${other} in the graph`}
                  >
                    {text}
                  </button>
                ) : (
                  <a
                    href={formatHash({ view: 'blocks', params: { session, block: other } })}
                    title={`Not drawn in this graph: open ${other} in Blocks`}
                  >
                    {text} <span className="muted">(not drawn)</span>
                  </a>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
