// Turn bundles in the UI. "Export bundle" downloads one recorded turn as JSON (main builds it; the
// renderer saves it through the browser's download, never naming a path). "Open bundle…" reads a
// file the user picks, sends its text to main, which validates it, makes a new store from it in a
// folder of its own (or reopens the one made from the same bundle before), replays the turn there
// and switches the inspector to that store; the page follows (`store.changes`), and the header's
// store menu leads back.
import { useRef, useState, type ChangeEvent } from 'react';
import type { ApiError, BundleImportResult } from '../../src-main/api/contract';
import { useApi } from '../api/api-context';
import { formatInt, shortId } from '../lib/format';
import { useLive } from '../lib/live';
import { goToStore } from '../lib/store-param';
import './bundle-actions.css';

/** The contract's BUNDLE_TEXT_LIMIT (the renderer may import the contract only as types). */
const MAX_BUNDLE_CHARS = 32 * 1024 * 1024;

export function ExportBundleButton({ callId }: { callId: string }) {
  const call = useApi();
  const [state, setState] = useState<{ busy: boolean; error?: ApiError; saved?: string }>({
    busy: false,
  });
  const exportIt = async () => {
    setState({ busy: true });
    const result = await call('bundle.export', { callId });
    if (!result.ok) {
      setState({ busy: false, error: result.error });
      return;
    }
    const blob = new Blob([`${JSON.stringify(result.value.bundle)}\n`], {
      type: 'application/json',
    });
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = result.value.fileName;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    setState({
      busy: false,
      saved: `${result.value.fileName} (${formatInt(result.value.blocks)} blocks)`,
    });
  };
  return (
    <span className="bundle-action">
      <button type="button" onClick={() => void exportIt()} disabled={state.busy}>
        {state.busy ? 'Exporting…' : 'Export bundle'}
      </button>
      {state.error === undefined ? null : (
        <span role="alert" className="bad">
          {state.error.message}
        </span>
      )}
      {state.saved === undefined ? null : (
        <span className="muted" role="status">
          Saved {state.saved}
        </span>
      )}
    </span>
  );
}

export function OpenBundleButton() {
  const call = useApi();
  const live = useLive();
  const input = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<{
    busy: boolean;
    error?: ApiError;
    done?: BundleImportResult;
  }>({ busy: false });

  const picked = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (file === undefined) return;
    if (file.size > MAX_BUNDLE_CHARS) {
      setState({
        busy: false,
        error: {
          code: 'too-large',
          message: `${file.name} is ${formatInt(file.size)} bytes; a bundle may be at most ${formatInt(MAX_BUNDLE_CHARS)}.`,
        },
      });
      return;
    }
    setState({ busy: true });
    const text = await file.text();
    const result = await call('bundle.import', { text });
    setState(
      result.ok ? { busy: false, done: result.value } : { busy: false, error: result.error },
    );
    // The server now shows the bundle's store: ask at once, so the header names it.
    if (result.ok) live.retryNow();
  };

  const close = () => setState({ busy: false });
  const show = (done: BundleImportResult) => {
    setState({ busy: false });
    goToStore(done.store, {
      route: { view: 'turn', params: { call: done.callId, session: done.session } },
    });
  };

  return (
    <>
      <button
        type="button"
        className="link-button"
        onClick={() => input.current?.click()}
        disabled={state.busy}
      >
        {state.busy ? 'Opening…' : 'Open bundle…'}
      </button>
      <input
        ref={input}
        type="file"
        accept=".json,application/json"
        hidden
        aria-label="Bundle file"
        onChange={(e) => void picked(e)}
      />
      {state.error === undefined && state.done === undefined ? null : (
        <div className="bundle-dialog" role="dialog" aria-modal="false" aria-label="Open bundle">
          {state.error !== undefined ? (
            <>
              <h3>The bundle could not be opened</h3>
              <p role="alert">{state.error.message}</p>
              <p className="muted">
                <code>{state.error.code}</code>
              </p>
            </>
          ) : state.done !== undefined ? (
            <BundleOpened done={state.done} onShow={show} />
          ) : null}
          <button type="button" onClick={close}>
            Close
          </button>
        </div>
      )}
    </>
  );
}

function BundleOpened({
  done,
  onShow,
}: {
  done: BundleImportResult;
  onShow: (done: BundleImportResult) => void;
}) {
  return (
    <>
      <h3>Bundle opened</h3>
      <p>
        Turn <span className="mono">{shortId(done.callId)}</span> of{' '}
        <span className="mono">{done.session}</span>: {formatInt(done.blocks)} blocks,{' '}
        {formatInt(done.edges)} edges,{' '}
        {done.reused
          ? 'in the store made from this bundle before, reopened at'
          : 'in a new store at'}{' '}
        <span className="mono">{done.dir}</span>.
      </p>
      <p className="muted">The store menu in the header leads back to the store you had open.</p>
      <p role="status" className={done.replay.identical ? 'good' : 'bad'}>
        Replay: {done.replay.identical ? 'identical' : 'diverged'}{' '}
        <span className="mono muted">{(done.replay.replayedHash ?? '').slice(0, 16)}</span>
        {done.replay.divergence === null ? null : ` (${done.replay.divergence})`}
      </p>
      {done.switched ? (
        <button type="button" onClick={() => onShow(done)}>
          Show the turn
        </button>
      ) : null}
    </>
  );
}
