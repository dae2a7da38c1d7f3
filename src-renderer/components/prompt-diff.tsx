// The rendered prompts of two turns side by side (or unified) with react-diff-viewer-continued.
// Prompts load on demand (`compare.prompts`), apart from the plan diff, since each may be
// megabytes; the viewer is its own chunk, loaded on first use. Nothing is cut: every line of both
// prompts is in the viewer's scroll area (virtualised, so a 128k-token prompt scrolls smoothly);
// with "changed only", unchanged runs fold into bars that expand on click.
import { lazy, Suspense, useMemo, useSyncExternalStore } from 'react';
import type { DiffMethod } from 'react-diff-viewer-continued';
import type { RenderedPromptView } from '../../src-main/api/contract';
import { formatInt } from '../lib/format';
import type { QueryState } from '../lib/use-query';
import { ErrorState, Loading } from './states';
import './prompt-diff.css';

type Viewer = typeof import('react-diff-viewer-continued').default;
let viewer: Promise<{ default: Viewer }> | undefined;
const loadViewer = () =>
  (viewer ??= import('react-diff-viewer-continued').then((m) => ({
    default: withCheapDiffKey(m.default),
  })));
const DiffViewer = lazy(loadViewer);

/**
 * The viewer keys its computed diff by `JSON.stringify` of its props, both texts included
 * (react-diff-viewer-continued 4.4.0, `getMemoisedKey`), on every render, scroll measurement and
 * highlight pass: for two 0.35 MB prompts a 0.7 MB string built, and hashed as a property key, many
 * times per open. This subclass keys by a version that changes when either text changes (the same
 * string or object as before keeps the version) and the other settings the original key holds.
 */
function withCheapDiffKey(Base: Viewer): Viewer {
  return class KeyedDiffViewer extends Base {
    constructor(props: ConstructorParameters<Viewer>[0]) {
      super(props);
      let lastOld: unknown;
      let lastNew: unknown;
      let version = 0;
      // A private arrow-function field of the base class, assigned in its constructor: replaced here.
      (this as unknown as { getMemoisedKey: () => string }).getMemoisedKey = () => {
        const {
          oldValue,
          newValue,
          disableWordDiff,
          compareMethod,
          linesOffset,
          alwaysShowLines,
          extraLinesSurroundingDiff,
        } = this.props;
        if (oldValue !== lastOld || newValue !== lastNew) {
          lastOld = oldValue;
          lastNew = newValue;
          version++;
        }
        return JSON.stringify([
          version,
          disableWordDiff,
          compareMethod,
          linesOffset,
          alwaysShowLines,
          extraLinesSurroundingDiff,
        ]);
      };
    }
  };
}

/** Starts loading the viewer's chunk ahead of its first render (it loads once). */
export function preloadDiffViewer(): void {
  void loadViewer();
}
// Word-level marks inside a changed line (DiffMethod.WORDS; the enum's value, so the viewer stays
// out of the main chunk): character-level marks scatter over prose.
const WORDS = 'diffWords' as unknown as DiffMethod;
// The viewer's own style breaks lines anywhere (`line-break: anywhere`), so prose wraps inside words
// ("Othe|rwise"): wrap at spaces, and split a word only when it is longer than the column.
const DIFF_STYLES = {
  contentText: { lineBreak: 'auto', overflowWrap: 'anywhere', wordBreak: 'normal' },
} as const;

export type DiffLayout = 'split' | 'unified';

export interface PromptDiffProps {
  /** Both prompts, from `compare.prompts` (the caller starts loading them as early as it can). */
  readonly prompts: QueryState<{ readonly a: RenderedPromptView; readonly b: RenderedPromptView }>;
  /** Lines only in a and only in b, once the comparison says. */
  readonly lines: { readonly removed: number; readonly added: number } | null;
  readonly titles: readonly [before: string, after: string];
  readonly layout: DiffLayout;
  readonly changedOnly: boolean;
  readonly onLayout: (layout: DiffLayout) => void;
  readonly onChangedOnly: (changedOnly: boolean) => void;
}

// Looked up on use, not at import: the module also loads where there is no window (unit tests).
const darkQuery = () => window.matchMedia('(prefers-color-scheme: dark)');
const subscribeDark = (listener: () => void) => {
  const query = darkQuery();
  query.addEventListener('change', listener);
  return () => query.removeEventListener('change', listener);
};

/** Lines as the viewer shows them: a final newline ends the last line. */
function lineCount(text: string): number {
  let n = text === '' || text.endsWith('\n') ? 0 : 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

export function PromptDiff({
  prompts,
  lines,
  titles,
  layout,
  changedOnly,
  onLayout,
  onChangedOnly,
}: PromptDiffProps) {
  const useDark = useSyncExternalStore(
    subscribeDark,
    () => darkQuery().matches,
    () => false,
  );
  const pair = prompts.data;
  const count = useMemo(
    () =>
      pair === undefined ? undefined : { a: lineCount(pair.a.text), b: lineCount(pair.b.text) },
    [pair],
  );
  // As tall as the lines need (rows are about 19 px), at most 70% of the window: it scrolls inside.
  const rows =
    count === undefined
      ? 0
      : layout === 'split'
        ? Math.max(count.a, count.b)
        : count.a + (lines?.added ?? count.b);
  const height = Math.round(Math.min(0.7 * window.innerHeight, Math.max(160, rows * 19 + 90)));
  return (
    <section className="panel prompt-diff" aria-labelledby="prompt-diff-title">
      <header className="panel-header">
        <h3 id="prompt-diff-title">Prompts</h3>
        <div className="segmented" role="group" aria-label="Layout">
          {(['split', 'unified'] as const).map((l) => (
            <button key={l} type="button" aria-pressed={layout === l} onClick={() => onLayout(l)}>
              {l === 'split' ? 'Side by side' : 'Unified'}
            </button>
          ))}
        </div>
        <label className="check">
          <input
            type="checkbox"
            checked={changedOnly}
            onChange={(e) => onChangedOnly(e.target.checked)}
          />{' '}
          Changed lines only
        </label>
        {pair === undefined || count === undefined ? null : (
          <p className="muted">
            {pair.a.promptHash === pair.b.promptHash ? 'identical bytes · ' : ''}
            {formatInt(count.a)} → {formatInt(count.b)} lines
            {lines === null
              ? ''
              : ` (−${formatInt(lines.removed)} +${formatInt(lines.added)})`} ·{' '}
            {formatInt(pair.a.tokens)} → {formatInt(pair.b.tokens)} tokens · both in full
            {changedOnly ? '; folded runs expand on click' : ''}
          </p>
        )}
      </header>
      {pair !== undefined && (pair.a.mode !== 'string' || pair.b.mode !== 'string') ? (
        <p className="muted note">
          Chat and provider requests are recorded as canonical JSON; they are shown one message per
          part (role header, content, tool calls), with every byte of content.
        </p>
      ) : null}
      {prompts.error !== undefined ? (
        <ErrorState
          title="The prompts could not be loaded"
          error={prompts.error}
          onRetry={prompts.reload}
        />
      ) : prompts.data === undefined ? (
        <Loading label="Loading both prompts…" />
      ) : (
        <div className="diff-viewer" role="region" aria-label="Prompt diff">
          <Suspense fallback={<Loading label="Loading the diff viewer…" />}>
            <DiffViewer
              oldValue={prompts.data.a.text}
              newValue={prompts.data.b.text}
              splitView={layout === 'split'}
              showDiffOnly={changedOnly}
              compareMethod={WORDS}
              extraLinesSurroundingDiff={3}
              leftTitle={titles[0]}
              rightTitle={titles[1]}
              useDarkTheme={useDark}
              styles={DIFF_STYLES}
              infiniteLoading={{ pageSize: 200, containerHeight: `${height}px` }}
              loadingElement={() => <Loading label="Diffing…" />}
              summary={`${formatInt(prompts.data.a.text.length)} → ${formatInt(prompts.data.b.text.length)} characters`}
            />
          </Suspense>
        </div>
      )}
    </section>
  );
}
