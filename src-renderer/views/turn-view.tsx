// Turn: one recorded model call. The budget split per section (click one to filter the candidates
// to it), every candidate with its per-retriever scores and decision, why / why not for the
// selected block, and the prompt as recorded with block boundaries, the provider request as sent
// (indented, copyable). Replay checks the recording reproduces. The plan loads first; the prompt
// text and output (the bodies) load after it. Every selection is in the URL.
import { useMemo, useRef, useState } from 'react';
import type { TurnDetail, TurnPrompt } from '../../src-main/api/contract';
import { useApi } from '../api/api-context';
import { BudgetBar } from '../components/budget-bar';
import {
  candidateParams,
  CandidatesPanel,
  useVisibleCandidates,
} from '../components/candidates-panel';
import { PromptView, type PromptMode } from '../components/prompt-view';
import { ReplayPanel } from '../components/replay-panel';
import { RequestPanel } from '../components/request-panel';
import { EmptyState, ErrorState, Loading } from '../components/states';
import { WhyPanel } from '../components/why-panel';
import { formatInt, formatTime, percent } from '../lib/format';
import { listStep, useKeys } from '../lib/keys';
import { ExportBundleButton } from '../components/bundle-actions';
import {
  asOfRoute,
  compareRoute,
  formatHash,
  whatIfRoute,
  withParams,
  type Navigate,
  type Route,
} from '../lib/route';
import { downloadJson, turnExport, turnExportName } from '../lib/turn-export';
import { useQuery } from '../lib/use-query';
import { expandOmitted } from '../lib/omitted-columns';
import { turnRoute } from './turns-view';
import './turn-view.css';

export function TurnView({ route, navigate }: { route: Route; navigate: Navigate }) {
  const call = useApi();
  const p = route.params;
  const callId = p['call'];
  // A recorded turn never changes (except for its output), so no live refresh here.
  // The budget and the selection first; the omitted candidates (up to 10k) and the prompt after.
  const light = useQuery(callId === undefined ? undefined : `turns.get:${callId}`, () =>
    call('turns.get', { callId: callId ?? '', omitted: false }),
  );
  const rest = useQuery(callId === undefined ? undefined : `turns.omitted:${callId}`, async () => {
    const r = await call('turns.omitted', { callId: callId ?? '' });
    return r.ok ? { ...r, value: expandOmitted(r.value) } : r;
  });
  // The prompt is asked for once the omitted candidates are in: rendering it keeps the one server
  // thread busy for a while, and asked for earlier it held up the end of the omitted answer.
  const omittedIn =
    light.data !== undefined &&
    (light.data.omittedCount === 0 || rest.data !== undefined || rest.error !== undefined);
  const prompt = useQuery(
    callId === undefined || !omittedIn ? undefined : `turns.prompt:${callId}`,
    () => call('turns.prompt', { callId: callId ?? '' }),
  );
  const detail = useMemo(() => merge(light.data, rest.data), [light.data, rest.data]);
  const omittedLoading =
    light.data !== undefined && light.data.omittedCount > 0 && rest.data === undefined;
  const params = candidateParams(p);
  const { rows, visible } = useVisibleCandidates(detail, params);
  const filterRef = useRef<HTMLInputElement>(null);
  const set = (changes: Record<string, string | undefined>) =>
    navigate(withParams(route, changes), { replace: true });
  const selected = params.block;
  // The call the Replay button was pressed for (a replay reads the store: only when asked).
  const [replayed, setReplayed] = useState<string | undefined>(undefined);

  useKeys((event) => {
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

  if (callId === undefined) {
    return (
      <div className="view">
        <EmptyState title="No turn chosen">
          <p>
            Open a turn from the{' '}
            <a
              href={formatHash({
                view: 'turns',
                params: p['session'] === undefined ? {} : { session: p['session'] },
              })}
            >
              Turns
            </a>{' '}
            list.
          </p>
        </EmptyState>
      </div>
    );
  }
  if (light.error !== undefined)
    return (
      <ErrorState title="This turn could not be read" error={light.error} onRetry={light.reload} />
    );
  if (detail === undefined) return <Loading label="Loading the turn…" />;

  const d = detail;
  const { plan, turn } = d;
  const sent: PromptMode = turn.mode === 'string' ? 'string' : 'chat';
  const mode: PromptMode = p['prompt'] === 'string' || p['prompt'] === 'chat' ? p['prompt'] : sent;
  const approx = plan.model.tokenizerExact ? '' : ' (approximate)';
  const neighbour = (id: string | null, label: string) =>
    id === null ? (
      <span className="muted">{label}</span>
    ) : (
      <a
        href={formatHash(turnRoute({ callId: id, session: turn.session }))}
        rel={label.startsWith('←') ? 'prev' : 'next'}
      >
        {label}
      </a>
    );

  return (
    <div className="view turn-view">
      <header className="view-header toolbar turn-header">
        <h2>Turn</h2>
        <nav className="turn-nav" aria-label="Turns of the session">
          <a
            href={formatHash({
              view: 'turns',
              params: { session: turn.session, call: turn.callId },
            })}
          >
            All turns of {turn.session}
          </a>
          {neighbour(d.previous, '← previous')}
          {neighbour(d.next, 'next →')}
          {d.previous === null ? null : (
            <a href={formatHash(compareRoute(turn.callId, d.previous))}>Compare with previous</a>
          )}
          <a href={formatHash(whatIfRoute(turn.callId))}>What-if</a>
          <a href={formatHash({ view: 'graph', params: { call: turn.callId } })}>Graph</a>
          <a href={formatHash(asOfRoute(turn.callId))}>Store as of this turn</a>
        </nav>
        <button
          type="button"
          onClick={() => setReplayed(turn.callId)}
          disabled={replayed === turn.callId}
          title="Re-run this turn at its recorded watermark and check the prompt reproduces byte for byte"
        >
          Replay
        </button>
        <ExportBundleButton callId={turn.callId} />
        <button
          type="button"
          disabled={prompt.data === undefined || omittedLoading}
          onClick={() =>
            prompt.data !== undefined && downloadJson(turnExportName(d), turnExport(d, prompt.data))
          }
        >
          Export JSON
        </button>
      </header>
      <p className="turn-task-line">
        <span className="muted">Task</span>{' '}
        {plan.task === '' ? <span className="muted">(none)</span> : plan.task}
      </p>
      <p className="summary" aria-live="polite">
        {formatTime(turn.createdAt)} · {plan.model.name} ({plan.model.tokenizer}
        {plan.model.tokenizerExact ? ', exact counts' : ', approximate counts'}) · sent as{' '}
        {turn.mode} · <b data-testid="turn-tokens">{formatInt(turn.tokens)}</b> of{' '}
        {formatInt(plan.budget.input)} input tokens in the prompt{approx} (
        {percent(turn.tokens, plan.budget.input)})
        {plan.rendering == null && plan.budget.used !== turn.tokens
          ? ` (the plan charged ${formatInt(plan.budget.used)}, an upper bound: recorded before exact accounting)`
          : ''}{' '}
        · <b>{formatInt(plan.selected.length)}</b> selected · <b>{formatInt(d.omittedCount)}</b>{' '}
        omitted{omittedLoading ? ' (loading…)' : ''} · output{' '}
        {turn.hasOutput ? 'recorded' : 'not recorded'}
      </p>
      {replayed === turn.callId ? (
        <ReplayPanel key={turn.callId} callId={turn.callId} session={turn.session} start />
      ) : null}
      {rest.error === undefined ? null : (
        <ErrorState
          title="The omitted candidates could not be read"
          error={rest.error}
          onRetry={rest.reload}
        />
      )}
      {d.missing.length > 0 ? (
        <p className="notice" role="note">
          {formatInt(d.missing.length)} selected{' '}
          {d.missing.length === 1 ? 'block is' : 'blocks are'} no longer in the store; the prompt is
          shown as recorded, without block boundaries.
        </p>
      ) : null}
      <BudgetBar
        plan={plan}
        activeSection={params.section}
        onSection={(s) => set({ section: s })}
      />
      <div className="candidates-split">
        <CandidatesPanel
          source={d}
          params={params}
          rows={rows}
          visible={visible}
          set={set}
          filterRef={filterRef}
        />
        <WhyPanel
          result={d}
          id={selected}
          onSelect={(id) => set({ block: id })}
          onOpenBlock={(id) =>
            navigate({ view: 'blocks', params: { session: turn.session, block: id } })
          }
        />
      </div>
      <TurnPromptPanel
        detail={d}
        prompt={prompt.data}
        error={prompt.error}
        reload={prompt.reload}
        mode={mode}
        sent={sent}
        selected={selected}
        set={set}
      />
    </div>
  );
}

/** The turn with its omitted candidates once they arrived. */
function merge(
  light: TurnDetail | undefined,
  rest: { omitted: TurnDetail['plan']['omitted']; blocks: TurnDetail['blocks'] } | undefined,
): TurnDetail | undefined {
  if (light === undefined || rest === undefined) return light;
  return {
    ...light,
    plan: { ...light.plan, omitted: rest.omitted },
    blocks: { ...light.blocks, ...rest.blocks },
  };
}

function TurnPromptPanel({
  detail,
  prompt,
  error,
  reload,
  mode,
  sent,
  selected,
  set,
}: {
  detail: TurnDetail;
  prompt: TurnPrompt | undefined;
  error: { code: string; message: string } | undefined;
  reload: () => void;
  mode: PromptMode;
  sent: PromptMode;
  selected: string | undefined;
  set: (changes: Record<string, string | undefined>) => void;
}) {
  if (error !== undefined)
    return <ErrorState title="The prompt could not be read" error={error} onRetry={reload} />;
  if (prompt === undefined) return <Loading label="Loading the prompt…" />;
  const note = (
    <p className="muted prompt-note">
      {prompt.exact
        ? `The ${sent} rendering is what was sent (it re-renders to the recorded hash); the other is rendered from the same plan.`
        : 'The recorded prompt no longer re-renders from the store (blocks changed or are gone): shown as recorded, without block boundaries.'}
    </p>
  );
  return (
    <>
      <PromptView
        result={{
          plan: detail.plan,
          blocks: detail.blocks,
          prompt: prompt.prompt,
          chat: prompt.chat,
        }}
        mode={mode}
        onMode={(m) => set({ prompt: m === sent ? undefined : m })}
        selected={selected}
        onSelect={(id) => set({ block: id })}
        sent={sent}
        note={note}
      />
      {prompt.request === null ? null : (
        <RequestPanel mode={prompt.mode} request={prompt.request} />
      )}
      <section className="panel output" aria-labelledby="output-title">
        <header className="panel-header">
          <h3 id="output-title">Output</h3>
          {prompt.output === null ? null : (
            <p className="muted">
              recorded {formatTime(prompt.output.recordedAt)}
              {prompt.output.inputTokens === null
                ? ''
                : ` · ${formatInt(prompt.output.inputTokens)} input tokens`}
              {prompt.output.outputTokens === null
                ? ''
                : ` · ${formatInt(prompt.output.outputTokens)} output tokens`}{' '}
              (provider usage)
            </p>
          )}
        </header>
        {prompt.output?.inputTokens == null ? null : (
          <UsageCheck
            counted={detail.turn.tokens}
            reported={prompt.output.inputTokens}
            exact={detail.plan.model.tokenizerExact}
          />
        )}
        {prompt.output === null ? (
          <p className="muted">The model's output was not recorded for this call.</p>
        ) : (
          <pre className="prompt-text output-text">{prompt.output.text}</pre>
        )}
      </section>
    </>
  );
}

/** Differences above this share of the reported count are flagged. */
const USAGE_TOLERANCE = 0.02;

/**
 * Input tokens as counted here against the provider's usage: approximate tokenizers (Anthropic)
 * and provider framing (tool schemas, system wrappers) make them differ; above 2% it is flagged.
 */
function UsageCheck({
  counted,
  reported,
  exact,
}: {
  counted: number;
  reported: number;
  exact: boolean;
}) {
  const diff = reported - counted;
  const share = reported === 0 ? (counted === 0 ? 0 : 1) : Math.abs(diff) / reported;
  const flagged = share > USAGE_TOLERANCE;
  return (
    <p
      className={flagged ? 'notice usage-check flagged' : 'muted usage-check'}
      role="note"
      aria-label="Input tokens: counted and reported"
    >
      Input tokens: counted <b data-testid="usage-counted">{formatInt(counted)}</b>
      {exact ? '' : ' (approximate tokenizer)'} · reported by the provider{' '}
      <b data-testid="usage-reported">{formatInt(reported)}</b> · difference{' '}
      <b data-testid="usage-diff">
        {diff > 0 ? '+' : diff < 0 ? '−' : ''}
        {formatInt(Math.abs(diff))}
      </b>{' '}
      ({(share * 100).toFixed(1)}%)
      {flagged ? ' — more than 2%: the count here is not what the provider billed' : ''}
    </p>
  );
}
