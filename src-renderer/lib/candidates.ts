// The candidates of a page call as table rows, with sorting, filtering and the why / why-not
// explanation of one row. Pure functions over the contract's PageResult.
import type {
  BlockKind,
  FusionView,
  OmitReason,
  PageResult,
  RetrieverRole,
  RetrieverScoreView,
  Section,
  SelectReason,
} from '../../src-main/api/contract';

export type Decision = 'selected' | 'omitted';

export interface CandidateRow {
  readonly id: string;
  readonly kind: BlockKind;
  readonly section: Section;
  readonly decision: Decision;
  readonly reason: SelectReason | OmitReason;
  /** The plan's score: fused + priority weight x priority. */
  readonly score: number;
  /**
   * Selected: tokens it adds to the prompt (its text with its label, or its chat message with
   * framing); omitted: tokens it would have needed, with the blocks it must travel with.
   */
  readonly tokens: number;
  /** Selected tool call or result: tokens of its whole tool group, when the plan says. */
  readonly pairTokens?: number | undefined;
  readonly retrievers: Readonly<Record<string, RetrieverScoreView>>;
  readonly preview: string;
  /** Position in the plan's order (selected in rendering order, then omitted). */
  readonly order: number;
  /** Selected: a message of the conversation, or a line of a section's text; undefined for omitted rows. */
  readonly placement?: 'conversation' | 'text' | undefined;
}

/** What the candidate rows and explanations read: a live page call's result or a recorded turn's. */
export type CandidateSource = Pick<PageResult, 'plan' | 'blocks'>;

export function candidateRows(result: CandidateSource): CandidateRow[] {
  const preview = (id: string) => result.blocks[id]?.preview ?? '';
  const rows: CandidateRow[] = [];
  for (const s of result.plan.selected) {
    const pair = s.pairTokens == null ? {} : { pairTokens: s.pairTokens };
    rows.push({
      id: s.id,
      kind: s.kind,
      section: s.section,
      decision: 'selected',
      reason: s.reason,
      score: s.score,
      tokens: s.tokens,
      ...pair,
      retrievers: s.retrievers,
      preview: preview(s.id),
      order: rows.length,
      placement: s.placement,
    });
  }
  for (const o of result.plan.omitted) {
    rows.push({
      id: o.id,
      kind: o.kind,
      section: o.section,
      decision: 'omitted',
      reason: o.reason,
      score: o.score,
      tokens: o.tokensNeeded,
      retrievers: o.retrievers,
      preview: preview(o.id),
      order: rows.length,
    });
  }
  return rows;
}

/** A sortable column: a fixed one, or `retriever:NAME`. */
export type SortKey =
  'order' | 'decision' | 'kind' | 'section' | 'score' | 'tokens' | 'reason' | `retriever:${string}`;
export type SortDir = 'asc' | 'desc';

export function parseSortKey(value: string | undefined): SortKey {
  if (value === undefined) return 'order';
  if (
    ['order', 'decision', 'kind', 'section', 'score', 'tokens', 'reason'].includes(value) ||
    value.startsWith('retriever:')
  )
    return value as SortKey;
  return 'order';
}

export function sortRows(
  rows: readonly CandidateRow[],
  key: SortKey,
  dir: SortDir,
): CandidateRow[] {
  const sign = dir === 'asc' ? 1 : -1;
  const value = (row: CandidateRow): number | string => {
    if (key.startsWith('retriever:'))
      return row.retrievers[key.slice('retriever:'.length)]?.normalized ?? -1;
    if (key === 'decision') return row.decision;
    if (key === 'kind') return row.kind;
    if (key === 'section') return row.section;
    if (key === 'reason') return row.reason;
    if (key === 'score') return row.score;
    if (key === 'tokens') return row.tokens;
    return row.order;
  };
  return [...rows].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    const c =
      typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return c !== 0 ? sign * c : a.order - b.order;
  });
}

export interface RowFilter {
  readonly decision?: Decision | undefined;
  readonly section?: Section | undefined;
  /** Matches id, kind, reason and preview, case-insensitively. */
  readonly text?: string | undefined;
}

export function filterRows(rows: readonly CandidateRow[], filter: RowFilter): CandidateRow[] {
  const text = (filter.text ?? '').trim().toLowerCase();
  return rows.filter(
    (r) =>
      (filter.decision === undefined || r.decision === filter.decision) &&
      (filter.section === undefined || r.section === filter.section) &&
      (text === '' ||
        r.id.includes(text) ||
        r.kind.includes(text) ||
        r.reason.includes(text) ||
        r.preview.toLowerCase().includes(text)),
  );
}

export const REASON_TEXT: Readonly<Record<SelectReason | OmitReason, string>> = {
  required: 'required by the call',
  pinned: 'pinned by a retriever',
  relevance: 'ranked in by its fused score',
  recency: 'part of the recent conversation window',
  dependency: 'pulled in as a dependency of a selected block',
  'tool-pair': 'the other half of a tool call and its result',
  'summary-substitute': 'a summary standing in for the blocks it covers',
  system: 'a System block: always included',
  'section-budget': 'its section had too few tokens left',
  'global-budget': 'the input budget was used up',
  duplicate: 'a near-duplicate of a selected block',
  'pair-incomplete': 'its tool call or result could not come with it',
  'replaced-by-summary': 'a selected summary covers it',
  'low-score': 'scored below what was taken',
  'body-corrupt':
    'its stored bytes no longer match their hash: never sent to a model (run llm386 verify)',
};

/**
 * The reason of a row in words. Plans recorded before scored picks and the conversation window were
 * told apart say `recency` for blocks ranked in on a score recency led (global facts among them):
 * those are not "part of the recent conversation window".
 */
export function reasonText(row: Pick<CandidateRow, 'reason' | 'placement'>): string {
  if (row.reason === 'recency' && row.placement === 'text')
    return 'ranked in by its fused score, recency scoring it highest (not a message of the conversation)';
  return REASON_TEXT[row.reason];
}

/** Reasons decided by score: the cut-off of a section is the lowest fused score taken this way. */
const SCORED: ReadonlySet<string> = new Set(['relevance', 'recency', 'pinned']);

export interface FoundBy {
  readonly name: string;
  readonly weight: number;
  readonly score: RetrieverScoreView;
  /** How fusion read it; null in trace records made before plans showed it. */
  readonly role: RetrieverRole | null;
  /** It scored the whole pool (nearly) alike in this call, so it added nothing. */
  readonly flat: boolean;
  /** Its largest raw score in this call (normalised = raw / top); null in older records. */
  readonly top: number | null;
}

/**
 * How a candidate's score was made, term by term, from the contributions the plan shows:
 * `score = fused + priorityWeight x priority`, fused by the plan's fusion mode.
 */
export interface ScoreTerms {
  readonly fusion: FusionView;
  /** Contributions by role, in the order of `foundBy` (`max` fusion: every one in `relevance`). */
  readonly inclusion: readonly number[];
  readonly relevance: readonly number[];
  readonly recency: readonly number[];
  /** The fused score recomputed from the terms. */
  readonly fused: number;
  /** The block's priority; undefined when the block is no longer in the store. */
  readonly priority: number | undefined;
}

export interface Explanation {
  readonly row: CandidateRow;
  /** Retrievers that returned the block, best normalised score first. */
  readonly foundBy: readonly FoundBy[];
  /** Retrievers in the stack that did not return it. */
  readonly missedBy: readonly string[];
  /** Lowest fused score selected on score in the block's section, if any. */
  readonly cutoff: number | undefined;
  /** Selected: the block that pulled it in (dependency, tool pair, summary). */
  readonly via: string | undefined;
  /** Omitted: what took its place, and the tokens it needed against those left. */
  readonly displacedBy: string | undefined;
  readonly tokensNeeded: number | undefined;
  readonly tokensLeft: number | undefined;
  /** How the fused score was made; null in trace records made before plans showed it. */
  readonly fusion: FusionView | null;
  /** The score's terms; undefined when the record lacks a contribution or a role. */
  readonly terms: ScoreTerms | undefined;
}

export function explain(result: CandidateSource, id: string): Explanation | undefined {
  const rows = candidateRows(result);
  const row = rows.find((r) => r.id === id);
  if (row === undefined) return undefined;
  const runs = new Map(result.plan.retrievers.map((r) => [r.name, r]));
  const foundBy = Object.entries(row.retrievers)
    .map(([name, score]): FoundBy => {
      const run = runs.get(name);
      return {
        name,
        weight: run?.weight ?? 1,
        score,
        role: run?.role ?? null,
        flat: run?.flat === true,
        top: run?.top ?? null,
      };
    })
    .sort((a, b) => b.score.normalized - a.score.normalized || a.name.localeCompare(b.name));
  const missedBy = result.plan.retrievers
    .map((r) => r.name)
    .filter((name) => row.retrievers[name] === undefined);
  const scored = result.plan.selected
    .filter((s) => s.section === row.section && SCORED.has(s.reason))
    .map((s) => s.score);
  const cutoff = scored.length === 0 ? undefined : Math.min(...scored);
  const selected = result.plan.selected.find((s) => s.id === id);
  const omitted = result.plan.omitted.find((o) => o.id === id);
  return {
    row,
    foundBy,
    missedBy,
    cutoff,
    via: selected?.via ?? undefined,
    displacedBy: omitted?.displacedBy ?? undefined,
    tokensNeeded: omitted?.tokensNeeded,
    tokensLeft: omitted?.tokensLeft,
    fusion: result.plan.fusion,
    terms: scoreTerms(result.plan.fusion, foundBy, result.blocks[id]?.priority),
  };
}

function scoreTerms(
  fusion: FusionView | null,
  foundBy: readonly FoundBy[],
  priority: number | undefined,
): ScoreTerms | undefined {
  if (fusion === null) return undefined;
  const terms: Record<RetrieverRole, number[]> = { inclusion: [], relevance: [], recency: [] };
  for (const f of foundBy) {
    if (f.score.contribution === null || f.role === null) return undefined;
    terms[fusion.mode === 'max' ? 'relevance' : f.role].push(f.score.contribution);
  }
  const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
  const fused =
    fusion.mode === 'max'
      ? Math.max(0, ...terms.relevance)
      : Math.max(0, ...terms.inclusion) +
        sum(terms.relevance) * (1 + fusion.recencyBoost * sum(terms.recency));
  return { fusion, ...terms, fused, priority };
}

/** A term of the score's arithmetic: three decimals without trailing zeros (0.5, 0.112, 0). */
export function formatTerm(n: number): string {
  return String(Number(n.toFixed(3)));
}

/**
 * A candidate's score as arithmetic over the terms shown, in the formula's shape:
 * `relevance`: `0.673 = 0 + (0.5 + 0.112) x (1 + 0.25 x 0.4) + 0.5 x 0`
 * (max(inclusion) + sum(relevance) x (1 + boost x sum(recency)) + priority weight x priority);
 * `max`: `0.5 = max(0.5, 0.2) + 0.5 x 0`. An unknown priority (a deleted block) shows as `?`.
 */
export function scoreArithmetic(score: number, t: ScoreTerms): string {
  const list = (xs: readonly number[], join: string) =>
    xs.length === 0 ? '0' : xs.map(formatTerm).join(join);
  const group = (xs: readonly number[]) =>
    xs.length > 1 ? `(${list(xs, ' + ')})` : list(xs, ' + ');
  const max = (xs: readonly number[]) => (xs.length > 1 ? `max(${list(xs, ', ')})` : list(xs, ''));
  const fused =
    t.fusion.mode === 'max'
      ? max(t.relevance)
      : `${max(t.inclusion)} + ${group(t.relevance)} x (1 + ${formatTerm(t.fusion.recencyBoost)} x ${group(t.recency)})`;
  const priority = `${formatTerm(t.fusion.priorityWeight)} x ${t.priority === undefined ? '?' : formatTerm(t.priority)}`;
  return `${formatTerm(score)} = ${fused} + ${priority}`;
}

/**
 * An expression cut before each `+` and `=` outside parentheses, so a narrow panel wraps it between
 * terms: `a = b + (c + d) x e` -> `a`, `= b`, `+ (c + d) x e`.
 */
export function topLevelTerms(expression: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (
      depth === 0 &&
      (c === '+' || c === '=') &&
      expression[i - 1] === ' ' &&
      expression[i + 1] === ' '
    ) {
      terms.push(expression.slice(start, i - 1));
      start = i;
    }
  }
  terms.push(expression.slice(start));
  return terms;
}
