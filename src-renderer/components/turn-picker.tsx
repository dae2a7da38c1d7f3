// Picks one recorded turn of a session from a list, oldest first, each labelled with its number,
// time, tokens and task.
import type { TurnSummary } from '../../src-main/api/contract';
import { formatInt, formatTime } from '../lib/format';

/** `#3 · 2026-01-12 09:05:30 · 470 tok · Reply to …` */
export function turnLabel(turn: TurnSummary, index: number): string {
  return `#${index + 1} · ${formatTime(turn.createdAt)} · ${formatInt(turn.tokens)} tok · ${turn.task.slice(0, 70)}`;
}

export function TurnPicker({
  label,
  turns,
  value,
  onChange,
  allowNone,
}: {
  label: string;
  turns: readonly TurnSummary[];
  value: string | undefined;
  onChange: (callId: string | undefined) => void;
  allowNone?: string;
}) {
  const known = value === undefined || turns.some((t) => t.callId === value);
  return (
    <label className="field grow">
      <span>{label}</span>
      <select
        value={value ?? ''}
        onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}
      >
        {allowNone === undefined ? null : <option value="">{allowNone}</option>}
        {known ? null : <option value={value}>{value}</option>}
        {turns.map((t, i) => (
          <option key={t.callId} value={t.callId}>
            {turnLabel(t, i)}
          </option>
        ))}
      </select>
    </label>
  );
}
