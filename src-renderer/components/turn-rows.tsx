// Rows of the Turns table: a user turn's header (the user message and its calls' totals) and one
// row per recorded call (tokens against the budget, counts, output, latency, usage, cost, and a
// box to pick it for Compare). The table is virtualised: each row says its place in the whole
// list (`aria-rowindex`, and `data-index` for the virtualiser, which measures it through `rowRef`).
import { memo, type Ref } from 'react';
import type {
  TurnSummary,
  CallFactsView,
  TurnMatchView,
  UserTurnView,
} from '../../src-main/api/contract';
import { formatInt, formatTime, percent } from '../lib/format';
import { formatHash, type Route } from '../lib/route';
import { formatLatency, formatUsd, turnTotals } from '../lib/turn-facts';
import './turn-rows.css';

/** Columns of the Turns table (the header row spans them). */
const COLUMNS = 11;

function turnRoute(turn: { callId: string; session: string }): Route {
  return { view: 'turn', params: { session: turn.session, call: turn.callId } };
}

/** The header of one user turn: its message, how many calls served it, and their totals. */
export function UserTurnRow({
  group,
  number,
  calls,
  facts,
  session,
  position,
  rowRef,
}: {
  group: UserTurnView;
  number: number;
  calls: readonly TurnSummary[];
  facts: Readonly<Record<string, CallFactsView>>;
  session: string;
  /** The row's index among the table's body rows (0-based). */
  position: number;
  rowRef: Ref<HTMLTableRowElement> | undefined;
}) {
  const totals = turnTotals(group.calls, facts);
  const input = calls.reduce((n, t) => n + t.tokens, 0);
  const parts = [
    `${formatInt(group.calls.length)} ${group.calls.length === 1 ? 'call' : 'calls'}`,
    `${formatInt(input)} input tokens`,
    totals.outputTokens === null ? undefined : `${formatInt(totals.outputTokens)} output tokens`,
    totals.latencyMs === null ? undefined : formatLatency(totals.latencyMs),
    totals.usd === null ? undefined : `${totals.estimated ? '≥ ' : ''}${formatUsd(totals.usd)}`,
  ].filter((p): p is string => p !== undefined);
  return (
    <tr className="user-turn-row" ref={rowRef} data-index={position} aria-rowindex={position + 2}>
      <th scope="rowgroup" colSpan={COLUMNS}>
        <span className="user-turn-title">
          {group.message === null ? (
            <span className="muted">Before the first user message</span>
          ) : (
            <>
              <span className="user-turn-number">User turn {number}</span>{' '}
              <a
                className="user-turn-message"
                href={formatHash({ view: 'blocks', params: { session, block: group.message.id } })}
                title={group.message.preview}
              >
                “{group.message.preview}”
              </a>{' '}
              <span className="muted mono">{formatTime(group.message.createdAt)}</span>
            </>
          )}
        </span>
        <span className="user-turn-totals muted">{parts.join(' · ')}</span>
      </th>
    </tr>
  );
}

export interface TurnRowProps {
  readonly turn: TurnSummary;
  readonly index: number;
  /** The row's index among the table's body rows (0-based). */
  readonly position: number;
  readonly selected: boolean;
  readonly picked: boolean;
  /** Stable across renders (rows are memoised): called with this row's turn. */
  readonly onPick: (turn: TurnSummary) => void;
  readonly facts: CallFactsView | undefined;
  readonly factsLoading: boolean;
  /** Where a search matched this turn, when searching. */
  readonly match: TurnMatchView | undefined;
  readonly rowRef: Ref<HTMLTableRowElement> | undefined;
  readonly onOpen: (turn: TurnSummary) => void;
}

/** One call's row; memoised, so facts arriving for other rows do not re-render it. */
export const TurnRow = memo(function TurnRow({
  turn,
  index,
  position,
  selected,
  picked,
  onPick,
  facts,
  factsLoading,
  match,
  rowRef,
  onOpen,
}: TurnRowProps) {
  const share = turn.inputBudget === 0 ? 0 : Math.min(1, turn.tokens / turn.inputBudget);
  const pending = <span className="muted">{factsLoading ? '…' : '—'}</span>;
  return (
    <tr
      aria-selected={selected}
      className={selected ? 'selected' : undefined}
      onClick={() => onOpen(turn)}
      ref={rowRef}
      data-index={position}
      aria-rowindex={position + 2}
    >
      <td className="pick" onClick={(e) => e.stopPropagation()}>
        <input
          type="checkbox"
          checked={picked}
          onChange={() => onPick(turn)}
          aria-label={`Pick turn ${index} to compare`}
        />
        <span className="muted">{index}</span>
      </td>
      {/* The time of day; the date is in the title and in the user turn's header. */}
      <td className="mono muted nowrap" title={formatTime(turn.createdAt)}>
        {formatTime(turn.createdAt).slice(11)}
      </td>
      <th scope="row" className="turn-task">
        <a
          href={formatHash(turnRoute(turn))}
          onClick={(e) => e.stopPropagation()}
          title={turn.task}
        >
          {turn.task === '' ? <span className="muted">(no task)</span> : turn.task}
        </a>
        {match === undefined ? null : <MatchLine match={match} />}
      </th>
      <td className="nowrap" title={`rendered as ${turn.mode}`}>
        {turn.model}
      </td>
      <td className="tokens-col">
        <span
          className="token-budget"
          title={`${formatInt(turn.tokens)} of ${formatInt(turn.inputBudget)} input tokens (${percent(turn.tokens, turn.inputBudget)}), ${formatInt(turn.overhead)} of them framing`}
        >
          <span className="mini-bar" aria-hidden="true">
            <span
              className={share > 0.95 ? 'bar-full' : 'bar-used'}
              style={{ width: `${Math.max(share * 100, turn.tokens > 0 ? 1 : 0)}%` }}
            />
          </span>
          <span className="num mono">
            {formatInt(turn.tokens)} / {formatInt(turn.inputBudget)}
          </span>
        </span>
      </td>
      <td className="num">{formatInt(turn.selected)}</td>
      <td className="num">
        {turn.omitted === 0 ? <span className="muted">0</span> : formatInt(turn.omitted)}
      </td>
      <td className="turn-output">
        {!turn.hasOutput ? (
          <span className="muted">none</span>
        ) : facts === undefined ? (
          pending
        ) : (
          <OutputCell facts={facts} />
        )}
      </td>
      <td className="num nowrap">
        {facts === undefined ? (
          pending
        ) : facts.latencyMs === null ? (
          <span className="muted">—</span>
        ) : (
          <span
            title={
              facts.runtimeMs === null
                ? undefined
                : `the model, from the recorded call to its recorded output; paging and packing took ${formatLatency(facts.runtimeMs)} before`
            }
          >
            {formatLatency(facts.latencyMs)}
          </span>
        )}
      </td>
      <td className="num nowrap">{facts === undefined ? pending : <UsageCell facts={facts} />}</td>
      <td className="num nowrap">{facts === undefined ? pending : <CostCell facts={facts} />}</td>
    </tr>
  );
});

function OutputCell({ facts }: { facts: CallFactsView }) {
  if (facts.output === null) return <span className="muted">none</span>;
  if (facts.output === '') return <span className="muted">(no text: tool calls only)</span>;
  return (
    <span
      className="output-line"
      title={
        facts.outputChars > facts.output.length
          ? `${facts.output} (${formatInt(facts.outputChars)} characters in all)`
          : facts.output
      }
    >
      {facts.output}
    </span>
  );
}

function UsageCell({ facts }: { facts: CallFactsView }) {
  const usage = facts.usage;
  if (usage === null)
    return (
      <span className="muted" title="The provider reported no usage for this call">
        —
      </span>
    );
  const cached =
    usage.cachedInputTokens === null
      ? ''
      : `, ${formatInt(usage.cachedInputTokens)} of them cached`;
  return (
    <span
      title={`Reported by the provider: ${usage.inputTokens === null ? '?' : formatInt(usage.inputTokens)} input tokens${cached}, ${usage.outputTokens === null ? '?' : formatInt(usage.outputTokens)} output tokens`}
    >
      {usage.inputTokens === null ? '?' : formatInt(usage.inputTokens)} in ·{' '}
      {usage.outputTokens === null ? '?' : formatInt(usage.outputTokens)} out
    </span>
  );
}

function CostCell({ facts }: { facts: CallFactsView }) {
  const cost = facts.cost;
  if (cost === null)
    return (
      <span
        className="muted"
        title="The model profile has no prices: add input_price_per_million and output_price_per_million to its [[profile]] in the config"
      >
        —
      </span>
    );
  const prices = `at $${cost.prices.input} / $${cost.prices.output} per million input / output tokens`;
  return cost.basis === 'usage' ? (
    <span
      title={`${formatUsd(cost.inputUsd)} input + ${cost.outputUsd === null ? '? output' : `${formatUsd(cost.outputUsd)} output`}, ${prices}`}
    >
      {formatUsd(cost.usd)}
    </span>
  ) : (
    <span
      className="estimate"
      title={`No usage recorded: the prompt's counted tokens only, no output, ${prices}`}
    >
      ≥ {formatUsd(cost.usd)}
    </span>
  );
}

function MatchLine({ match }: { match: TurnMatchView }) {
  const where = [
    match.task ? 'task' : undefined,
    match.output ? 'output' : undefined,
    match.blocks.length > 0
      ? `${match.blocks.length === 1 ? 'a block' : `${match.blocks.length} blocks`}`
      : undefined,
  ].filter((w): w is string => w !== undefined);
  return (
    <div className="match-line muted">
      matched in {where.join(', ')}
      {match.blocks[0] === undefined ? null : <>: “{match.blocks[0].preview}”</>}
    </div>
  );
}
