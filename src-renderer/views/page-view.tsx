// Page: a live `plan.page` call (the Turn view over the current store): the budget split, every
// candidate with its per-retriever scores and decision, why / why not for the selected one, and
// the rendered prompt. Inputs and selection live in the URL, so a deep link reopens the same call.
// The call's "now" (what recency counts back from) is the store's newest block time unless the
// form sets another (lib/page-now.ts); the summary says which was used.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Section } from '../../src-main/api/contract';
import { useApi } from '../api/api-context';
import { BudgetBar } from '../components/budget-bar';
import { CandidatesTable } from '../components/candidates-table';
import { PromptView, type PromptMode } from '../components/prompt-view';
import { EmptyState, ErrorState, Loading } from '../components/states';
import { WhyPanel } from '../components/why-panel';
import {
  candidateRows,
  filterRows,
  parseSortKey,
  sortRows,
  type Decision,
  type SortKey,
} from '../lib/candidates';
import { formatInt, formatTime } from '../lib/format';
import { listStep, useKeys } from '../lib/keys';
import { useLive } from '../lib/live';
import { localInputValue, newestBlockTime, nowSource, nowToSend, parseNow } from '../lib/page-now';
import { withParams, type Navigate, type Route } from '../lib/route';
import { useQuery } from '../lib/use-query';
import { SECTIONS } from '../lib/vocabulary';
import '../components/candidates-panel.css';
import './page-view.css';
import './page-now.css';

export function PageView({ route, navigate }: { route: Route; navigate: Navigate }) {
  const call = useApi();
  const { seq } = useLive();
  const p = route.params;
  const sessions = useQuery(
    `sessions.list:${seq}`,
    () => call('sessions.list', {}),
    'sessions.list',
  );
  const models = useQuery('models.list', () => call('models.list', {}));
  const session = p['session'];
  const task = p['task'] ?? '';
  const model = p['model'];
  const budget =
    p['budget'] === undefined || !/^\d+$/.test(p['budget']) ? undefined : Number(p['budget']);
  const nowChoice = parseNow(p['now']);
  const newest = sessions.data === undefined ? undefined : newestBlockTime(sessions.data.sessions);
  const now = nowToSend(nowChoice, newest);
  // The default "now" is the newest block's time: wait for the sessions that tell it (if they
  // cannot be read, the server's clock).
  const nowKnown =
    nowChoice.kind !== 'newest' || sessions.data !== undefined || sessions.error !== undefined;
  const request =
    session === undefined || !nowKnown
      ? undefined
      : {
          session,
          task,
          ...(model === undefined ? {} : { model }),
          ...(budget === undefined ? {} : { budget }),
          ...(now === undefined ? {} : { now }),
        };
  const requestKey = request === undefined ? undefined : JSON.stringify(request);
  const result = useQuery(
    requestKey === undefined ? undefined : `${requestKey}|${seq}`,
    () => call('plan.page', request ?? { session: '' }),
    requestKey,
  );

  const selected = p['block'];
  const sort = parseSortKey(p['sort']);
  const dir = p['dir'] === 'asc' ? 'asc' : 'desc';
  const decision: Decision | undefined =
    p['decision'] === 'selected' || p['decision'] === 'omitted' ? p['decision'] : undefined;
  const section = (SECTIONS as readonly string[]).includes(p['section'] ?? '')
    ? (p['section'] as Section)
    : undefined;
  const filterText = p['filter'] ?? '';
  const mode: PromptMode = p['prompt'] === 'chat' ? 'chat' : 'string';
  const filterRef = useRef<HTMLInputElement>(null);

  const rows = useMemo(
    () => (result.data === undefined ? [] : candidateRows(result.data)),
    [result.data],
  );
  const visible = useMemo(
    () =>
      sortRows(
        filterRows(rows, { decision, section, text: filterText }),
        sort,
        sort === 'order' && p['dir'] === undefined ? 'asc' : dir,
      ),
    [rows, decision, section, filterText, sort, dir, p],
  );
  const set = (changes: Record<string, string | undefined>, replace = true) =>
    navigate(withParams(route, changes), { replace });

  useKeys((event) => {
    if (event.key === '/') {
      event.preventDefault();
      filterRef.current?.focus();
      return;
    }
    if (event.key === 'Escape') {
      if (
        document.activeElement instanceof HTMLElement &&
        document.activeElement.closest('form, .filters') !== null
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

  const onSort = (key: SortKey) => {
    if (key === sort) set({ dir: dir === 'asc' ? 'desc' : 'asc' });
    else
      set({
        sort: key,
        dir:
          key === 'order' ||
          key === 'decision' ||
          key === 'kind' ||
          key === 'section' ||
          key === 'reason'
            ? 'asc'
            : 'desc',
      });
  };

  return (
    <div className="view page-view">
      <header className="view-header">
        <h2>Page</h2>
        <p className="muted">
          What the pager would put in the prompt for this call right now, and why. Nothing is sent
          to a model.
        </p>
      </header>
      <CallForm
        key={requestKey ?? 'none'}
        sessions={sessions.data?.sessions.map((s) => s.session) ?? []}
        models={
          models.data?.models.map((m) => ({
            name: m.name,
            budget: m.inputBudget,
            exact: m.tokenizerExact,
          })) ?? []
        }
        defaultModel={models.data?.defaultModel}
        initial={{
          session: session ?? sessions.data?.sessions[0]?.session ?? '',
          task,
          model: model ?? '',
          budget: p['budget'] ?? '',
          now: nowChoice.kind === 'at' ? nowChoice.text : nowChoice.kind === 'clock' ? 'clock' : '',
        }}
        newest={newest}
        onSubmit={(values) =>
          navigate({ view: 'page', params: { ...values, prompt: p['prompt'] ?? '' } })
        }
        running={result.loading}
      />
      {session !== undefined && !nowKnown ? (
        <Loading label="Paging…" />
      ) : request === undefined ? (
        <EmptyState title="Choose a session and a task">
          <p>
            Pick the session to page, type the task the model is about to do, and press Page. Every
            candidate block gets a decision and a reason.
          </p>
        </EmptyState>
      ) : result.error !== undefined ? (
        <ErrorState title="The page call failed" error={result.error} onRetry={result.reload} />
      ) : result.data === undefined ? (
        <Loading label="Paging…" />
      ) : (
        <>
          <p className="summary" aria-live="polite">
            <b>{formatInt(result.data.plan.selected.length)}</b> selected ·{' '}
            <b>{formatInt(result.data.plan.omitted.length)}</b> omitted ·{' '}
            {result.data.plan.model.name} ({result.data.plan.model.tokenizer}
            {result.data.plan.model.tokenizerExact ? ', exact counts' : ', approximate counts'}) ·
            paged in {Math.round(result.data.ms)} ms{result.loading ? ' · refreshing…' : ''}
          </p>
          <p className="muted page-now" role="note" aria-label="Now used">
            Now: <b className="mono">{formatTime(result.data.plan.now)}</b>,{' '}
            {nowSource(nowChoice, newest)}; recency scores count back from it.{' '}
            {nowChoice.kind === 'newest'
              ? 'Set another time, or the current time, with Now in the form.'
              : null}
          </p>
          <BudgetBar
            plan={result.data.plan}
            activeSection={section}
            onSection={(s) => set({ section: s })}
          />
          <div className="candidates-split">
            <section className="panel candidates-panel" aria-labelledby="candidates-title">
              <header className="panel-header filters">
                <h3 id="candidates-title">Candidates</h3>
                <div className="segmented" role="group" aria-label="Decision">
                  {(['all', 'selected', 'omitted'] as const).map((d) => (
                    <button
                      key={d}
                      type="button"
                      aria-pressed={(decision ?? 'all') === d}
                      onClick={() => set({ decision: d === 'all' ? undefined : d })}
                    >
                      {d}
                    </button>
                  ))}
                </div>
                <label className="field">
                  <span className="sr-only">Section</span>
                  <select
                    aria-label="Section"
                    value={section ?? ''}
                    onChange={(e) => set({ section: e.target.value })}
                  >
                    <option value="">all sections</option>
                    {SECTIONS.filter((s) => s !== 'task').map((s) => (
                      <option key={s} value={s}>
                        {s}
                      </option>
                    ))}
                  </select>
                </label>
                <input
                  ref={filterRef}
                  type="search"
                  aria-label="Filter candidates"
                  placeholder="Filter  ( / )"
                  value={filterText}
                  onChange={(e) => set({ filter: e.target.value })}
                />
                <span className="count">
                  {formatInt(visible.length)} of {formatInt(rows.length)}
                </span>
              </header>
              {visible.length === 0 ? (
                <EmptyState title="No candidates match">
                  <p>
                    {rows.length === 0
                      ? 'No retriever returned a block for this call.'
                      : 'Clear the filters to see more.'}
                  </p>
                </EmptyState>
              ) : (
                <CandidatesTable
                  rows={visible}
                  retrievers={result.data.plan.retrievers.map((r) => r.name)}
                  sort={sort}
                  dir={sort === 'order' && p['dir'] === undefined ? 'asc' : dir}
                  onSort={onSort}
                  selected={selected}
                  onSelect={(id) => set({ block: id })}
                  approximate={!result.data.plan.model.tokenizerExact}
                />
              )}
            </section>
            <WhyPanel
              result={result.data}
              id={selected}
              onSelect={(id) => set({ block: id })}
              onOpenBlock={(id) =>
                navigate({ view: 'blocks', params: { session: session ?? '', block: id } })
              }
            />
          </div>
          <PromptView
            result={result.data}
            mode={mode}
            onMode={(m) => set({ prompt: m === 'string' ? undefined : m })}
            selected={selected}
            onSelect={(id) => set({ block: id })}
          />
        </>
      )}
    </div>
  );
}

interface CallValues {
  session: string;
  task: string;
  model: string;
  budget: string;
  /** '' (the store's newest block), 'clock', or a local date and time. */
  now: string;
}

function CallForm({
  sessions,
  models,
  defaultModel,
  initial,
  newest,
  onSubmit,
  running,
}: {
  sessions: readonly string[];
  models: readonly { name: string; budget: number; exact: boolean }[];
  defaultModel: string | undefined;
  initial: CallValues;
  /** The store's newest block time, the default now. */
  newest: number | undefined;
  onSubmit: (values: Record<string, string>) => void;
  running: boolean;
}) {
  const [values, setValues] = useState<CallValues>(initial);
  useEffect(() => {
    if (values.session === '' && initial.session !== '')
      setValues((v) => ({ ...v, session: initial.session }));
  }, [initial.session, values.session]);
  const modelName = values.model === '' ? defaultModel : values.model;
  const modelBudget = models.find((m) => m.name === modelName)?.budget;
  const change = (key: keyof CallValues) => (e: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [key]: e.target.value }));
  return (
    <form
      className="call-form"
      aria-label="Page call"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit({
          session: values.session,
          task: values.task,
          model: values.model,
          budget: values.budget,
          now: values.now,
        });
      }}
    >
      <label className="field">
        <span>Session</span>
        <select value={values.session} onChange={change('session')} required>
          {sessions.length === 0 ? <option value="">no sessions</option> : null}
          {sessions.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label className="field grow">
        <span>Task</span>
        <input
          type="text"
          value={values.task}
          onChange={change('task')}
          placeholder="What the model is about to do"
        />
      </label>
      <label className="field">
        <span>Model</span>
        <select value={values.model} onChange={change('model')}>
          <option value="">
            {defaultModel === undefined ? 'default' : `${defaultModel} (default)`}
          </option>
          {models.map((m) => (
            <option key={m.name} value={m.name}>
              {m.name}
              {m.exact ? '' : ' (approximate counts)'}
            </option>
          ))}
        </select>
      </label>
      <label className="field budget-field">
        <span>Budget</span>
        <input
          type="number"
          min={1}
          step={1}
          value={values.budget}
          onChange={change('budget')}
          placeholder={modelBudget === undefined ? 'model' : String(modelBudget)}
        />
      </label>
      <NowField
        value={values.now}
        newest={newest}
        onChange={(now) => setValues((v) => ({ ...v, now }))}
      />
      <button type="submit" className="primary" disabled={values.session === ''}>
        {running ? 'Paging…' : 'Page'}
      </button>
    </form>
  );
}

/** The call's now: the store's newest block (default), the current time, or a time set. */
function NowField({
  value,
  newest,
  onChange,
}: {
  value: string;
  newest: number | undefined;
  onChange: (now: string) => void;
}) {
  const kind = value === '' ? 'newest' : value === 'clock' ? 'clock' : 'at';
  return (
    <div className="field now-field">
      <label htmlFor="page-now-kind">Now</label>
      <div className="now-inputs">
        <select
          id="page-now-kind"
          aria-label="Now"
          value={kind}
          onChange={(e) =>
            onChange(
              e.target.value === 'newest'
                ? ''
                : e.target.value === 'clock'
                  ? 'clock'
                  : localInputValue(newest ?? Date.now()),
            )
          }
        >
          <option value="newest">
            newest block{newest === undefined ? '' : ` (${formatTime(newest)})`}
          </option>
          <option value="clock">current time</option>
          <option value="at">a time…</option>
        </select>
        {kind === 'at' ? (
          <input
            type="datetime-local"
            step={1}
            aria-label="Now at"
            value={value}
            onChange={(e) => onChange(e.target.value)}
          />
        ) : null}
      </div>
    </div>
  );
}
