// The Turns table: each user turn's header row followed by its calls' rows, virtualised like the
// block list and the candidates table (only the rows on screen, and a margin, are in the DOM;
// spacer rows stand for the rest), so a session of 1,000 turns lays out a screenful, not 15k
// elements. Rows are measured as they render (a search match adds a line to a call's row); the
// table names its full length in `aria-rowcount` and each row its place in `aria-rowindex`.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type {
  CallFactsView,
  TurnMatchView,
  TurnSummary,
  UserTurnView,
} from '../../src-main/api/contract';
import { turnListRows } from '../lib/turn-list-rows';
import { TurnRow, UserTurnRow } from './turn-rows';

/** Estimated heights until a row is measured: a user turn's header, a call's row. */
const GROUP_HEIGHT = 34;
const CALL_HEIGHT = 30;
/** Columns of the table (the spacer rows span them). */
const COLUMNS = 11;

export interface TurnsTableProps {
  readonly groups: readonly UserTurnView[];
  readonly byId: ReadonlyMap<string, TurnSummary>;
  /** Search matches by call id, when searching: only matching calls (and their headers) show. */
  readonly matches: ReadonlyMap<string, TurnMatchView> | undefined;
  /** Each call's number in the session (1 for the first recorded). */
  readonly indexOf: ReadonlyMap<string, number>;
  readonly selected: string | undefined;
  readonly picks: readonly string[];
  readonly onPick: (turn: TurnSummary) => void;
  readonly onOpen: (turn: TurnSummary) => void;
  readonly facts: Readonly<Record<string, CallFactsView>>;
  readonly factsLoading: boolean;
  readonly session: string;
}

export function TurnsTable({
  groups,
  byId,
  matches,
  indexOf,
  selected,
  picks,
  onPick,
  onOpen,
  facts,
  factsLoading,
  session,
}: TurnsTableProps) {
  const rows = turnListRows(groups, byId, matches);
  const scrollRef = useRef<HTMLDivElement>(null);
  const headRef = useRef<HTMLTableSectionElement>(null);
  // The sticky header sits above the first body row: the virtualiser counts it as padding, and
  // scrolls a row up to below it rather than under it.
  const [head, setHead] = useState(0);
  useLayoutEffect(() => setHead(headRef.current?.offsetHeight ?? 0), []);
  const getItemKey = useCallback((i: number) => rows[i]?.key ?? i, [rows]);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => (rows[i]?.kind === 'group' ? GROUP_HEIGHT : CALL_HEIGHT),
    getItemKey,
    paddingStart: head,
    scrollPaddingStart: head,
    overscan: 20,
  });
  const items = virtualizer.getVirtualItems();
  const selectedPosition =
    selected === undefined
      ? -1
      : rows.findIndex((r) => r.kind === 'call' && r.turn.callId === selected);
  // j/k move the highlight through the whole list: bring its row into view (and the DOM).
  useEffect(() => {
    if (selectedPosition >= 0) virtualizer.scrollToIndex(selectedPosition, { align: 'auto' });
  }, [selectedPosition, virtualizer]);

  const top = (items[0]?.start ?? head) - head;
  const bottom = Math.max(0, virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? head));
  // The rows on screen, one <tbody> per user turn (a row group, as before virtualising).
  const sections: { key: string; rows: typeof items }[] = [];
  for (const item of items) {
    const row = rows[item.index];
    if (row === undefined) continue;
    const g = row.kind === 'group' ? row.key : row.group;
    const last = sections[sections.length - 1];
    if (last !== undefined && last.key === g) last.rows.push(item);
    else sections.push({ key: g, rows: [item] });
  }

  return (
    <div ref={scrollRef} className="table-scroll turns-scroll">
      <table
        className="data-table turns-table"
        aria-label="Turns"
        aria-rowcount={rows.length + 1}
        aria-busy={factsLoading}
      >
        {/* Fixed widths: the columns keep their width whichever rows are on screen. */}
        <colgroup>
          <col className="col-pick" />
          <col className="col-time" />
          <col />
          <col className="col-model" />
          <col className="col-tokens" />
          <col className="col-count" />
          <col className="col-count" />
          <col />
          <col className="col-latency" />
          <col className="col-usage" />
          <col className="col-cost" />
        </colgroup>
        <thead ref={headRef}>
          <tr aria-rowindex={1}>
            <th scope="col">
              <span className="sr-only">Compare,</span> #
            </th>
            <th scope="col">Time</th>
            <th scope="col">Task</th>
            <th scope="col">Model</th>
            <th scope="col" className="tokens-col">
              Input tokens / budget
            </th>
            <th scope="col" className="num">
              Selected
            </th>
            <th scope="col" className="num">
              Omitted
            </th>
            <th scope="col">Output</th>
            <th scope="col" className="num">
              Latency
            </th>
            <th scope="col" className="num">
              Usage
            </th>
            <th scope="col" className="num">
              Cost
            </th>
          </tr>
        </thead>
        {top > 0 ? <Spacer height={top} /> : null}
        {sections.map((section) => (
          <tbody key={section.key} className="user-turn">
            {section.rows.map((item) => {
              const row = rows[item.index];
              if (row === undefined) return null;
              if (row.kind === 'group')
                return (
                  <UserTurnRow
                    key={row.key}
                    group={row.group}
                    number={row.number}
                    calls={row.calls}
                    facts={facts}
                    session={session}
                    position={item.index}
                    rowRef={virtualizer.measureElement}
                  />
                );
              const turn = row.turn;
              return (
                <TurnRow
                  key={row.key}
                  turn={turn}
                  index={indexOf.get(turn.callId) ?? 0}
                  position={item.index}
                  selected={turn.callId === selected}
                  picked={picks.includes(turn.callId)}
                  onPick={onPick}
                  facts={facts[turn.callId]}
                  factsLoading={factsLoading && facts[turn.callId] === undefined}
                  match={matches?.get(turn.callId)}
                  rowRef={virtualizer.measureElement}
                  onOpen={onOpen}
                />
              );
            })}
          </tbody>
        ))}
        {bottom > 0 ? <Spacer height={bottom} /> : null}
      </table>
    </div>
  );
}

/** Stands for the rows above or below the screen (hidden from assistive technology). */
function Spacer({ height }: { height: number }) {
  return (
    <tbody aria-hidden="true">
      <tr className="spacer">
        <td colSpan={COLUMNS} style={{ height }} />
      </tr>
    </tbody>
  );
}
