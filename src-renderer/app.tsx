// The inspector's root: the API client, live refresh, hash routing, the navigation shell and the
// global keys (`?`, 1/2/3, Esc).
import { useEffect, useRef, useState } from 'react';
import type { ApiError } from '../src-main/api/contract';
import { ApiProvider, useApi } from './api/api-context';
import type { ApiCall } from './api/client';
import { OpenBundleButton } from './components/bundle-actions';
import { preloadDiffViewer } from './components/prompt-diff';
import { KeySheet } from './components/key-sheet';
import { StorePicker, storeName } from './components/store-picker';
import { EmptyState, ErrorState, Loading } from './components/states';
import { formatInt } from './lib/format';
import { useKeys } from './lib/keys';
import { LiveProvider, useLive } from './lib/live';
import { formatHash, useRoute, type ViewName } from './lib/route';
import { goToStore, storeAction, useStoreInUrl } from './lib/store-param';
import { useQuery } from './lib/use-query';
import { AsOfView } from './views/asof-view';
import { BlocksView } from './views/blocks-view';
import { CompareView } from './views/compare-view';
import { GraphView } from './views/graph-view';
import { PageView } from './views/page-view';
import { StoreView } from './views/store-view';
import { TurnView } from './views/turn-view';
import { TurnsView } from './views/turns-view';
import { WhatIfView } from './views/whatif-view';

const NAV: readonly (readonly [ViewName, string, string])[] = [
  ['store', 'Store', '1'],
  ['blocks', 'Blocks', '2'],
  ['turns', 'Turns', '3'],
  ['page', 'Page', '4'],
];

export function App({ call }: { call: ApiCall }) {
  return (
    <ApiProvider call={call}>
      <LiveProvider>
        <Shell />
      </LiveProvider>
    </ApiProvider>
  );
}

function Shell() {
  const call = useApi();
  const [route, navigate] = useRoute();
  const [keysOpen, setKeysOpen] = useState(false);
  const live = useLive();
  // Keyed by the open store: the header names a new one at once.
  const info = useQuery(
    `store.info:${live.store ?? ''}`,
    () => call('store.info', {}),
    'store.info',
  );
  const inUrl = useStoreInUrl();
  const storeError = useStoreInSync(inUrl, live.store, live.retryNow);
  // The prompt diff viewer is its own chunk (~360 KB): fetch and parse it once the first view has
  // settled, so the first Compare opened does not wait for it.
  useEffect(() => whenIdle(preloadDiffViewer), []);

  useKeys((event) => {
    if (event.key === '?') {
      event.preventDefault();
      setKeysOpen(true);
      return;
    }
    const nav = NAV.find(([, , key]) => key === event.key);
    if (nav !== undefined) {
      event.preventDefault();
      navigate({ view: nav[0], params: carry(route.params) });
    }
  });

  let body;
  if (storeError !== undefined && live.store !== undefined) {
    body = (
      <div className="view">
        <ErrorState title="The store this link names could not be opened" error={storeError} />
        <p>
          <button
            type="button"
            onClick={() =>
              goToStore(live.store ?? '', { route: { view: 'store', params: {} }, replace: true })
            }
          >
            Show the open store{info.data === undefined ? '' : `, ${storeName(info.data.path)}`}
          </button>
        </p>
      </div>
    );
  } else if (live.store !== undefined && inUrl !== undefined && inUrl !== live.store) {
    body = <Loading label="Opening the store…" />;
  } else if (info.error !== undefined && info.data === undefined) {
    body =
      info.error.code === 'no-store' ? (
        <EmptyState title="No store open">
          <p>{info.error.message}</p>
          <p className="muted">
            A store is a folder made by <code>llm386 init DIR</code>; open one with{' '}
            <code>llm386 inspect --store DIR</code>.
          </p>
        </EmptyState>
      ) : (
        <ErrorState title="The store could not be read" error={info.error} onRetry={info.reload} />
      );
  } else if (info.data === undefined || !live.ready) {
    body = <Loading label="Opening the store…" />;
  } else if (route.view === 'blocks') {
    body = <BlocksView route={route} navigate={navigate} />;
  } else if (route.view === 'page') {
    body = <PageView route={route} navigate={navigate} />;
  } else if (route.view === 'turns') {
    body = <TurnsView route={route} navigate={navigate} />;
  } else if (route.view === 'turn') {
    body = <TurnView route={route} navigate={navigate} />;
  } else if (route.view === 'compare') {
    body = <CompareView route={route} navigate={navigate} />;
  } else if (route.view === 'whatif') {
    body = <WhatIfView route={route} navigate={navigate} />;
  } else if (route.view === 'graph') {
    body = <GraphView route={route} navigate={navigate} />;
  } else if (route.view === 'asof') {
    body = <AsOfView route={route} navigate={navigate} />;
  } else {
    body = <StoreView route={route} navigate={navigate} />;
  }

  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">
          <h1>LLM386 Inspector</h1>
        </div>
        <nav aria-label="Views">
          <ul>
            {NAV.map(([view, label, key]) => (
              <li key={view}>
                <a
                  href={formatHash({
                    view,
                    params: view === route.view ? route.params : carry(route.params),
                  })}
                  aria-current={
                    route.view === view ||
                    (view === 'turns' &&
                      (route.view === 'turn' ||
                        route.view === 'compare' ||
                        route.view === 'whatif' ||
                        route.view === 'asof' ||
                        (route.view === 'graph' && route.params['call'] !== undefined)))
                      ? 'page'
                      : undefined
                  }
                >
                  <span>{label}</span>
                  <kbd aria-hidden="true">{key}</kbd>
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="topbar-status">
          {info.data === undefined ? null : (
            <StorePicker
              current={info.data.id}
              path={info.data.path}
              onPick={(id) => goToStore(id, { route: { view: 'store', params: {} } })}
            />
          )}
          <span
            className={`live ${live.error === undefined ? 'live-ok' : 'live-down'}`}
            role="status"
            aria-label="Connection"
            title={live.error?.message}
          >
            {live.error === undefined
              ? `live · change ${live.seq === undefined ? '…' : formatInt(live.seq)}`
              : `disconnected, retrying in ${Math.round((live.retryInMs ?? 0) / 1000)} s`}
          </span>
          {live.error === undefined ? null : (
            <button type="button" className="link-button" onClick={live.retryNow}>
              Retry now
            </button>
          )}
          <OpenBundleButton />
          <button type="button" className="link-button" onClick={() => setKeysOpen(true)}>
            Keys <kbd>?</kbd>
          </button>
        </div>
      </header>
      {/* A new store starts every view afresh. */}
      <main className="main" key={live.store ?? ''}>
        {body}
      </main>
      <KeySheet open={keysOpen} onClose={() => setKeysOpen(false)} />
    </div>
  );
}

/**
 * Keeps the URL's store (`?store=`) and the server's in step (lib/store-param.ts): names the
 * server's in a URL without one, goes to it after the server switched; asks the server to open the
 * URL's after a deep link, the store menu or Back. Returns why the URL's store could not be opened.
 */
function useStoreInSync(
  inUrl: string | undefined,
  server: string | undefined,
  refresh: () => void,
): ApiError | undefined {
  const call = useApi();
  const previous = useRef<string | undefined>(undefined);
  const [failed, setFailed] = useState<{ id: string; error: ApiError } | undefined>(undefined);
  useEffect(() => {
    const action = storeAction(inUrl, server, previous.current);
    if (server !== undefined) previous.current = server;
    if (action.kind === 'name') goToStore(action.id, { replace: true });
    // The view's selection belonged to the store it left: start at the new one's Store view.
    if (action.kind === 'follow') goToStore(action.id, { route: { view: 'store', params: {} } });
    if (action.kind !== 'open') return undefined;
    let stale = false;
    void call('stores.open', { id: action.id }).then((result) => {
      if (stale) return;
      if (result.ok) refresh();
      else setFailed({ id: action.id, error: result.error });
    });
    return () => {
      stale = true;
    };
  }, [inUrl, server, call, refresh]);
  return failed !== undefined && failed.id === inUrl ? failed.error : undefined;
}

/** Parameters that mean the same in every view (the session) travel with navigation. */
function carry(params: Readonly<Record<string, string>>): Record<string, string> {
  return params['session'] === undefined ? {} : { session: params['session'] };
}

/** Runs `task` once the page is idle (at the latest after 3 s); returns a cancel function. */
function whenIdle(task: () => void): () => void {
  if (typeof window.requestIdleCallback === 'function') {
    const handle = window.requestIdleCallback(task, { timeout: 3000 });
    return () => window.cancelIdleCallback(handle);
  }
  const timer = window.setTimeout(task, 1000);
  return () => window.clearTimeout(timer);
}
