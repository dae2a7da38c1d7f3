// What-if: re-page a recorded turn with another model, budget, section fractions, retriever
// weights or switches, with no model call; show the new budget split and the diff against the
// recording, removals with their causes, then the re-paged plan as the Turn view shows a turn (the
// same candidates table, why / why not and prompt), the candidates that can never fit their
// section at these settings, and the settings as a config file and CLI flags that reproduce them.
// Every change re-pages at once; at most one re-page is in flight, and results for settings that
// are no longer current are dropped. Settings the runtime refuses hide the last result (it was
// paged with other settings) instead of leaving it on screen. Replay checks the recording
// reproduces byte for byte. Settings live in the URL (`#/whatif?call=ID&budget=N...`).
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ModelView, Section, WhatIfView as WhatIfResult } from '../../src-main/api/contract';
import { useApi } from '../api/api-context';
import { BudgetBar } from '../components/budget-bar';
import { candidateParams, useVisibleCandidates } from '../components/candidates-panel';
import { RetrieverChanges, SectionDeltas } from '../components/diff-details';
import { PlanDiffTable } from '../components/plan-diff-table';
import { ReplayPanel } from '../components/replay-panel';
import { EmptyState, ErrorState, Loading } from '../components/states';
import { TurnPicker } from '../components/turn-picker';
import { WhatIfControls } from '../components/whatif-controls';
import { WhatIfExportPanel } from '../components/whatif-export-panel';
import { candidateSource, WhatIfWorkbench } from '../components/whatif-workbench';
import { downloadJson } from '../lib/download';
import { formatInt } from '../lib/format';
import { listStep, useKeys } from '../lib/keys';
import { useLive } from '../lib/live';
import { compareRoute, formatHash, withParams, type Navigate, type Route } from '../lib/route';
import { useLatestQuery } from '../lib/use-latest-query';
import { useQuery } from '../lib/use-query';
import { SECTIONS } from '../lib/vocabulary';
import { clearedOverrides, overridesFrom } from '../lib/whatif-params';
import './whatif-view.css';

/** How long settings must stay put before the candidates and prompt are asked for. */
const DETAIL_DELAY_MS = 300;

export function WhatIfView({ route, navigate }: { route: Route; navigate: Navigate }) {
  const call = useApi();
  const { seq } = useLive();
  const p = route.params;
  const callId = p['call'];
  const overrides = overridesFrom(p);
  // A section clicked in the budget bar narrows the changes to it.
  const section = (SECTIONS as readonly string[]).includes(p['section'] ?? '')
    ? (p['section'] as Section)
    : undefined;
  const key = callId === undefined ? undefined : `${callId}|${JSON.stringify(overrides)}`;
  const result = useLatestQuery(key, () => call('whatif.run', { callId: callId ?? '', overrides }));
  // The settings each key was made from, to go back to the last settings that paged.
  const paramsOf = useRef(new Map<string, Readonly<Record<string, string>>>());
  if (key !== undefined && !paramsOf.current.has(key)) {
    paramsOf.current.set(key, p);
    if (paramsOf.current.size > 50)
      paramsOf.current.delete(paramsOf.current.keys().next().value as string);
  }
  const fresh = key !== undefined && result.dataKey === key;
  // The candidates and the prompt once the split for these settings has been on screen a moment:
  // at 100k blocks they take a few hundred ms on the runtime's thread, and asked for after every
  // step of a slider they would hold up the next re-page (one runs at a time).
  const [settledKey, setSettledKey] = useState<string | undefined>(undefined);
  useEffect(() => {
    if (!fresh) return;
    const timer = setTimeout(() => setSettledKey(key), DETAIL_DELAY_MS);
    return () => clearTimeout(timer);
  }, [fresh, key]);
  const detail = useLatestQuery(fresh && settledKey === key ? key : undefined, () =>
    call('whatif.detail', { callId: callId ?? '', overrides }),
  );
  const models = useQuery('models.list', () => call('models.list', {}));
  const session = result.data?.turn.session ?? p['session'];
  const turns = useQuery(
    callId !== undefined || session === undefined ? undefined : `turns.list:${session}:${seq}`,
    () => call('turns.list', { session: session ?? '' }),
    `turns.list:${session}`,
  );
  const set = (changes: Record<string, string | undefined>) =>
    navigate(withParams(route, changes), { replace: true });
  const source = useMemo(() => candidateSource(detail.data), [detail.data]);
  const params = candidateParams(p);
  const { rows, visible } = useVisibleCandidates(source, params);
  const filterRef = useRef<HTMLInputElement>(null);
  const selected = params.block;

  useKeys((event) => {
    // Arrows on a focused slider or checkbox of the settings move it, not the candidates.
    if (
      source === undefined ||
      (event.target instanceof Element && event.target.closest('.whatif-controls') !== null)
    )
      return;
    if (event.key === '/') {
      event.preventDefault();
      filterRef.current?.focus();
      return;
    }
    if (event.key === 'Escape') {
      if (
        document.activeElement instanceof HTMLElement &&
        document.activeElement.closest('.filters') !== null
      )
        document.activeElement.blur();
      else if (selected !== undefined) set({ block: undefined });
      return;
    }
    const step = listStep(event.key);
    if (step !== undefined && visible.length > 0) {
      event.preventDefault();
      const index = visible.findIndex((r) => r.id === selected);
      const next =
        visible[Math.min(visible.length - 1, Math.max(0, index === -1 ? 0 : index + step))];
      if (next !== undefined) set({ block: next.id });
    }
  });

  const header = (
    <header className="view-header">
      <h2>What-if</h2>
      <p className="muted">
        Re-page a recorded turn with other settings. Nothing is sent to a model; the recording is
        never changed.
      </p>
    </header>
  );
  if (callId === undefined) {
    return (
      <div className="view whatif-view">
        {header}
        <EmptyState title="Pick a recorded turn">
          <p>Open a turn from the Turns view, or pick one here.</p>
          {session === undefined ? (
            <p className="muted">
              Choose a session first (Store view), or open a link like #/whatif?call=CALL_ID.
            </p>
          ) : (
            <TurnPicker
              label={`Turns of ${session}`}
              turns={turns.data?.turns ?? []}
              value={undefined}
              onChange={(id) =>
                id !== undefined && navigate({ view: 'whatif', params: { call: id } })
              }
              allowNone="choose a turn"
            />
          )}
        </EmptyState>
      </div>
    );
  }
  // A result for another turn is no use here, not even for the controls.
  const data = result.data?.turn.callId === callId ? result.data : undefined;
  const rejected = result.error !== undefined;
  const lastGood = result.dataKey === undefined ? undefined : paramsOf.current.get(result.dataKey);
  return (
    <div className="view whatif-view">
      {header}
      {data === undefined ? (
        result.error !== undefined ? (
          <ErrorState title="The what-if failed" error={result.error} />
        ) : (
          <Loading label="Re-paging the recorded turn…" />
        )
      ) : (
        <div className="whatif-layout">
          <WhatIfControls
            recorded={data.recordedPolicy}
            recordedModel={data.recorded.model.name}
            recordedBudget={data.recorded.budget.input}
            models={withModel(models.data?.models ?? [], data.recorded.model)}
            overrides={overrides}
            onChange={set}
            onReset={() => set(clearedOverrides(p))}
          />
          {rejected && result.error !== undefined ? (
            <div className="whatif-results">
              <ErrorState title="These settings cannot be paged" error={result.error} />
              <p className="notice whatif-rejected" role="note">
                No result is shown: the last one was paged with other settings, not these. Change a
                setting
                {lastGood === undefined ? null : (
                  <>
                    , or{' '}
                    <button
                      type="button"
                      className="link-button"
                      onClick={() =>
                        navigate({ view: 'whatif', params: lastGood }, { replace: true })
                      }
                    >
                      go back to the last settings that paged
                    </button>
                  </>
                )}
                .
              </p>
              <ReplayPanel callId={callId} session={data.turn.session} />
            </div>
          ) : (
            <div className="whatif-results" aria-busy={result.pending}>
              <p className="summary diff-summary" aria-live="polite">
                <strong className="mono" aria-label="Diff summary">
                  {data.diff.summary}
                </strong>{' '}
                <span className="muted">
                  against the recording ·{' '}
                  {data.sameAsRecording
                    ? 'same prompt bytes as the recording'
                    : 'the prompt differs from the recording'}{' '}
                  · prompt of {formatInt(data.tokens)} tokens · budget{' '}
                  {formatInt(data.plan.budget.input)} · re-paged in {Math.round(data.ms)} ms
                </span>
                {result.pending ? (
                  <span className="pending" role="status">
                    <span className="spinner" aria-hidden="true" /> re-paging…
                  </span>
                ) : null}
              </p>
              <p className="muted turn-line">
                Turn <span className="mono">{data.turn.callId}</span> of {data.turn.session} ·{' '}
                {data.turn.task} ·{' '}
                <a href={formatHash(compareRoute(data.turn.callId))}>
                  Compare with the turn before
                </a>{' '}
                ·{' '}
                <button
                  type="button"
                  className="link-button"
                  onClick={() => exportWhatIf(data, overrides)}
                >
                  Export JSON
                </button>{' '}
                · prompt sha256{' '}
                <code className="mono" aria-label="What-if prompt hash">
                  {data.promptHash}
                </code>
              </p>
              <div className={result.pending ? 'whatif-plan stale' : 'whatif-plan'}>
                <BudgetBar
                  plan={data.plan}
                  activeSection={section}
                  onSection={(s) => set({ section: s })}
                />
                <PlanDiffTable
                  diff={data.diff}
                  blocks={data.blocks}
                  session={data.turn.session}
                  approximate={!data.plan.model.tokenizerExact}
                  title="Changes against the recording"
                  section={section}
                />
                <div className="diff-details">
                  <SectionDeltas diff={data.diff} labels={['recorded', 'what-if']} />
                  <RetrieverChanges diff={data.diff} blocks={data.blocks} />
                </div>
                {fresh ? (
                  <WhatIfExportPanel
                    settings={{
                      callId: data.turn.callId,
                      session: data.turn.session,
                      policy: data.policy,
                      retrievers: data.retrievers,
                      overrides,
                    }}
                    promptHash={data.promptHash}
                  />
                ) : null}
              </div>
              <WhatIfWorkbench
                detail={detail.data}
                source={source}
                current={fresh && detail.dataKey === key}
                error={detail.error}
                data={data}
                rows={rows}
                visible={visible}
                params={params}
                filterRef={filterRef}
                set={set}
                mode={p['prompt'] === 'string' || p['prompt'] === 'chat' ? p['prompt'] : undefined}
                onOpenBlock={(id) =>
                  navigate({ view: 'blocks', params: { session: data.turn.session, block: id } })
                }
              />
              <ReplayPanel callId={callId} session={data.turn.session} />
            </div>
          )}
        </div>
      )}
    </div>
  );
}

/** The models to offer: the configured ones, plus the recorded one if the config no longer has it. */
function withModel(models: readonly ModelView[], recorded: ModelView): readonly ModelView[] {
  return models.some((m) => m.name === recorded.name) ? models : [recorded, ...models];
}

function exportWhatIf(data: WhatIfResult, overrides: unknown): void {
  downloadJson(`llm386-whatif-${data.turn.callId}.json`, {
    kind: 'llm386.whatif',
    turn: data.turn,
    overrides,
    recordedPolicy: data.recordedPolicy,
    policy: data.policy,
    budget: data.plan.budget,
    sections: data.plan.sections,
    diff: data.diff,
    blocks: data.blocks,
    tokens: data.tokens,
    promptHash: data.promptHash,
    sameAsRecording: data.sameAsRecording,
  });
}
