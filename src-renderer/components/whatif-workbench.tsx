// The re-paged plan of a what-if as the Turn view shows a recorded turn: the same candidates
// table, why / why not and prompt view, plus the candidates that can never fit their section at
// these settings (./never-fits.tsx). Shown dimmed while it belongs to settings that are no longer
// current.
import { useMemo, useState, type Ref } from 'react';
import type { WhatIfDetail, WhatIfView as WhatIfResult } from '../../src-main/api/contract';
import type { CandidateRow, CandidateSource } from '../lib/candidates';
import { formatInt } from '../lib/format';
import { expandOmitted } from '../lib/omitted-columns';
import { CandidatesPanel, type CandidateParams } from './candidates-panel';
import { NeverFitsNote, NeverFitsPanel, neverFitsOf } from './never-fits';
import { PromptView, type PromptMode } from './prompt-view';
import { ErrorState, Loading } from './states';
import { WhyPanel } from './why-panel';
import './whatif-workbench.css';

/** The detail's plan with its omitted candidates expanded, as the candidates table reads it. */
export function candidateSource(detail: WhatIfDetail | undefined): CandidateSource | undefined {
  if (detail === undefined) return undefined;
  const { omitted, blocks } = expandOmitted(detail.omitted);
  return { plan: { ...detail.plan, omitted }, blocks: { ...detail.blocks, ...blocks } };
}

/**
 * Prompts longer than this many characters wait for a click: laying out a 128k-token prompt with
 * its block spans takes the page's thread for over half a second, and a what-if renders its prompt
 * again after every change of settings. Once shown, it stays shown.
 */
const PROMPT_INLINE_CHARS = 60_000;

/** The re-paged plan as the Turn view shows a turn: candidates, why / why not, and the prompt. */
export function WhatIfWorkbench({
  detail,
  source,
  current,
  error,
  data,
  rows,
  visible,
  params,
  filterRef,
  set,
  mode,
  onOpenBlock,
}: {
  detail: WhatIfDetail | undefined;
  source: CandidateSource | undefined;
  current: boolean;
  error: { code: string; message: string } | undefined;
  data: WhatIfResult;
  rows: readonly CandidateRow[];
  visible: readonly CandidateRow[];
  params: CandidateParams;
  filterRef: Ref<HTMLInputElement>;
  set: (changes: Record<string, string | undefined>) => void;
  mode: PromptMode | undefined;
  onOpenBlock: (id: string) => void;
}) {
  // Judged against the policy of the settings on screen, so only for a current detail.
  const fits = useMemo(
    () =>
      current && source !== undefined
        ? neverFitsOf({ plan: source.plan, policy: data.policy })
        : new Map<string, never>(),
    [current, source, data.policy],
  );
  const [showPrompt, setShowPrompt] = useState(false);
  if (error !== undefined)
    return <ErrorState title="The what-if's candidates could not be read" error={error} />;
  if (detail === undefined || source === undefined)
    return <Loading label="Loading the candidates and the prompt…" />;
  const sent: PromptMode = detail.mode === 'string' ? 'string' : 'chat';
  const fit = params.block === undefined ? undefined : fits.get(params.block);
  return (
    <div className={current ? 'whatif-workbench' : 'whatif-workbench stale'} aria-busy={!current}>
      <NeverFitsPanel
        rows={rows}
        fits={fits}
        selected={params.block}
        onSelect={(id) => set({ block: id })}
      />
      <div className="candidates-split">
        <CandidatesPanel
          source={source}
          params={params}
          rows={rows}
          visible={visible}
          set={set}
          filterRef={filterRef}
        />
        <div className="why-column">
          {fit === undefined ? null : (
            <NeverFitsNote
              fit={fit}
              policy={data.policy}
              onTry={(changes) =>
                set(
                  Object.fromEntries(
                    Object.entries(changes).map(([s, f]) => [`s.${s}`, String(f)]),
                  ),
                )
              }
            />
          )}
          <WhyPanel
            result={source}
            id={params.block}
            onSelect={(id) => set({ block: id })}
            onOpenBlock={onOpenBlock}
          />
        </div>
      </div>
      {!showPrompt &&
      Math.max(
        detail.prompt.text.length,
        detail.chat.messages.reduce((n, m) => n + m.content.length, 0),
      ) > PROMPT_INLINE_CHARS ? (
        <section className="panel prompt" aria-labelledby="prompt-title">
          <header className="panel-header">
            <h3 id="prompt-title">Prompt</h3>
            <p className="muted">
              {formatInt(detail.prompt.text.length)} characters,{' '}
              {formatInt(source.plan.selected.length)} blocks: shown on request, as it takes a
              moment to lay out after every change.
            </p>
            <button type="button" onClick={() => setShowPrompt(true)}>
              Show the prompt
            </button>
          </header>
        </section>
      ) : (
        <PromptView
          result={{
            plan: source.plan,
            blocks: source.blocks,
            prompt: detail.prompt,
            chat: detail.chat,
          }}
          mode={mode ?? sent}
          onMode={(m) => set({ prompt: m === sent ? undefined : m })}
          selected={params.block}
          onSelect={(id) => set({ block: id })}
          sent={sent}
          note={
            <p className="muted prompt-note">
              {detail.mode === sent
                ? `The ${sent} rendering is what this what-if would send (its hash is the what-if's prompt hash)`
                : `The chat rendering is what this what-if would send, as an ${detail.mode === 'openai' ? 'OpenAI' : 'Anthropic'} request (the what-if's prompt hash is that request's)`}
              ; the other is rendered from the same plan.
            </p>
          }
        />
      )}
    </div>
  );
}
