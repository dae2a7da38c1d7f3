// Compare: what changed between two recorded turns (default: a turn and the one before it in its
// session). The block-aligned plan diff with a cause per removal, tokens per section, retriever
// score changes, and both rendered prompts side by side. Turns, layout and filters live in the URL
// (`#/compare?a=CALL&b=CALL`); `#/compare?session=S` compares that session's last two turns.
import { useEffect, useRef } from 'react';
import type { TurnComparison, TurnSummary } from '../../src-main/api/contract';
import { useApi } from '../api/api-context';
import { SectionDeltas, RetrieverChanges } from '../components/diff-details';
import { PlanDiffTable } from '../components/plan-diff-table';
import { preloadDiffViewer, PromptDiff } from '../components/prompt-diff';
import { EmptyState, ErrorState, Loading } from '../components/states';
import { TurnPicker } from '../components/turn-picker';
import { downloadJson } from '../lib/download';
import { formatInt, formatTime } from '../lib/format';
import { useLive } from '../lib/live';
import { formatHash, whatIfRoute, withParams, type Navigate, type Route } from '../lib/route';
import { useQuery } from '../lib/use-query';

export function CompareView({ route, navigate }: { route: Route; navigate: Navigate }) {
  const call = useApi();
  const { seq } = useLive();
  const p = route.params;
  const set = (changes: Record<string, string | undefined>, replace = false) =>
    navigate(withParams(route, changes), { replace });
  const sessions = useQuery(
    `sessions.list:${seq}`,
    () => call('sessions.list', {}),
    'sessions.list',
  );
  const b = p['b'];
  const a = p['a'];
  // The prompts (possibly megabytes) are asked for first, once both ids are known: main answers
  // them at once and the viewer diffs them while main computes the plan diff.
  // Without `a` in the URL, the turn before b is known once the comparison says (for this b).
  const comparisonKey = b === undefined ? undefined : `compare.turns:${a ?? ''}:${b}`;
  const said = useRef<{ key: string; a: string | undefined }>(undefined);
  const promptA = a ?? (said.current?.key === comparisonKey ? said.current?.a : undefined);
  const prompts = useQuery(
    promptA === undefined || b === undefined ? undefined : `compare.prompts:${promptA}:${b}`,
    () => call('compare.prompts', { a: promptA ?? '', b: b ?? '' }),
  );
  const comparison = useQuery(comparisonKey, () =>
    call('compare.turns', { b: b ?? '', ...(a === undefined ? {} : { a }) }).then((result) => {
      if (result.ok && comparisonKey !== undefined)
        said.current = { key: comparisonKey, a: result.value.a?.callId };
      return result;
    }),
  );
  useEffect(preloadDiffViewer, []);
  const session = comparison.data?.session ?? p['session'];
  const turns = useQuery(
    session === undefined ? undefined : `turns.list:${session}:${seq}`,
    () => call('turns.list', { session: session ?? '' }),
    `turns.list:${session}`,
  );

  // Only a session named: compare its last turn with the one before.
  const list = turns.data?.turns ?? [];
  const last = list[list.length - 1];
  const lastId = last?.callId;
  useEffect(() => {
    if (b === undefined && lastId !== undefined)
      navigate(withParams(route, { b: lastId }), { replace: true });
  }, [b, lastId, navigate, route]);

  const data = comparison.data;
  return (
    <div className="view compare-view">
      <header className="view-header">
        <h2>Compare</h2>
        <p className="muted">
          What changed between two recorded turns: blocks in and out (with why), tokens per section,
          retriever scores, and both prompts.
        </p>
      </header>
      <form
        className="call-form"
        aria-label="Turns to compare"
        onSubmit={(e) => e.preventDefault()}
      >
        <label className="field">
          <span>Session</span>
          <select
            value={session ?? ''}
            onChange={(e) => navigate({ view: 'compare', params: { session: e.target.value } })}
          >
            {session === undefined ? <option value="">choose a session</option> : null}
            {(sessions.data?.sessions ?? []).map((s) => (
              <option key={s.session} value={s.session}>
                {s.session}
              </option>
            ))}
          </select>
        </label>
        <TurnPicker
          label="Before (a)"
          turns={list}
          value={data?.a?.callId ?? a}
          onChange={(id) => set({ a: id })}
          allowNone="the turn before b"
        />
        <TurnPicker label="After (b)" turns={list} value={b} onChange={(id) => set({ b: id })} />
        <button
          type="button"
          disabled={data?.a === null || data === undefined}
          onClick={() => data?.a != null && set({ a: data.b.callId, b: data.a.callId })}
        >
          Swap
        </button>
        <button
          type="button"
          disabled={data?.diff == null}
          onClick={() => data !== undefined && exportComparison(data)}
        >
          Export JSON
        </button>
      </form>
      {b === undefined ? (
        session !== undefined && turns.data !== undefined && list.length === 0 ? (
          <EmptyState title="No recorded turns in this session">
            <p>
              Turns are recorded by <code>llm386 pack --trace</code> or an agent that packs with
              tracing on.
            </p>
          </EmptyState>
        ) : session === undefined ? (
          <EmptyState title="Choose a session">
            <p>
              Pick a session: its last turn is compared with the one before; any two of its turns
              can be picked.
            </p>
          </EmptyState>
        ) : (
          <Loading label="Loading the session’s turns…" />
        )
      ) : comparison.error !== undefined ? (
        <ErrorState
          title="The turns could not be compared"
          error={comparison.error}
          onRetry={comparison.reload}
        />
      ) : data === undefined ? (
        <Loading label="Comparing…" />
      ) : data.a === null || data.diff === null ? (
        <EmptyState title="The first turn of its session">
          <p>There is no turn before it. Pick a turn to compare it with in “Before (a)”.</p>
        </EmptyState>
      ) : (
        <>
          <p className="summary diff-summary" aria-live="polite">
            <strong className="mono" aria-label="Diff summary">
              {data.diff.summary}
            </strong>{' '}
            <span className="muted">
              · added, removed, changed blocks and the token change · budget{' '}
              {formatInt(data.diff.budget.before)} → {formatInt(data.diff.budget.after)} · compared
              in {Math.round(data.ms)} ms ·{' '}
              <a href={formatHash(whatIfRoute(data.b.callId))}>What-if on turn b</a>
            </span>
          </p>
          <PlanDiffTable
            diff={data.diff}
            blocks={data.blocks}
            session={data.session}
            approximate={false}
            addedOrigin={data.addedOrigin}
          />
          <div className="diff-details">
            <SectionDeltas diff={data.diff} labels={['a', 'b']} />
            <RetrieverChanges diff={data.diff} blocks={data.blocks} />
          </div>
        </>
      )}
      {b === undefined ||
      promptA === undefined ||
      comparison.error !== undefined ||
      data?.a === null ? null : (
        <PromptDiff
          prompts={prompts}
          lines={data?.lines ?? null}
          titles={[`a · ${turnTitle(list, promptA)}`, `b · ${turnTitle(list, b)}`]}
          layout={p['layout'] === 'unified' ? 'unified' : 'split'}
          changedOnly={p['changed'] === 'only'}
          onLayout={(layout) => set({ layout: layout === 'split' ? undefined : layout }, true)}
          onChangedOnly={(only) => set({ changed: only ? 'only' : undefined }, true)}
        />
      )}
    </div>
  );
}

/** `#3 · 2026-01-12 09:05:30 · CALL`, or the call id until the session's turns are listed. */
function turnTitle(list: readonly TurnSummary[], callId: string): string {
  const index = list.findIndex((t) => t.callId === callId);
  const turn = list[index];
  return turn === undefined ? callId : `#${index + 1} · ${formatTime(turn.createdAt)} · ${callId}`;
}

function exportComparison(data: TurnComparison): void {
  downloadJson(`llm386-compare-${data.a?.callId ?? 'none'}-${data.b.callId}.json`, {
    kind: 'llm386.compare',
    session: data.session,
    a: data.a,
    b: data.b,
    diff: data.diff,
    blocks: data.blocks,
    prompts: data.prompts,
    lines: data.lines,
  });
}
