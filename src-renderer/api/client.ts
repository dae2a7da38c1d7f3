// The renderer's one way out: the contract's methods, over the preload bridge (window.llm386) in
// the desktop app, or over `POST /api/<method>` in web mode (the token, in a header, authorises
// it: ./web-token.ts). Both resolve to `{ ok, value | error }` and never reject.
import type { Api, ApiInput, ApiMethod, ApiOutput, ApiResult } from '../../src-main/api/contract';
import { adoptUrlToken, browserTokenHost, TOKEN_HEADER, type TokenSource } from './web-token';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in web mode. */
    readonly llm386?: Api;
  }
}

/** Calls one method by name. */
export type ApiCall = <K extends ApiMethod>(
  method: K,
  input: ApiInput<K>,
) => Promise<ApiResult<ApiOutput<K>>>;

/** A client over the preload bridge. */
export function bridgeClient(bridge: Api): ApiCall {
  return (method, input) =>
    (bridge[method] as (input: unknown) => Promise<ApiResult<ApiOutput<typeof method>>>)(input);
}

/** A client over HTTP, for web mode: `token` is read for every call and sent in its header. `base` is the page's origin. */
export function httpClient(fetchFn: typeof fetch, token: TokenSource, base = ''): ApiCall {
  return async (method, input) => {
    let response: Response;
    try {
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      const value = token();
      if (value !== null) headers[TOKEN_HEADER] = value;
      response = await fetchFn(`${base}/api/${encodeURIComponent(method)}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(input ?? {}),
        // No cookie is needed or wanted: the header is the credential.
        credentials: 'omit',
      });
    } catch (error) {
      return failure(
        'unreachable',
        `The inspector server did not answer (${(error as Error).message}). Is \`llm386 inspect --web\` still running?`,
      );
    }
    if (response.status === 401) {
      return failure(
        'unauthorized',
        'This page is not authorised: open the full URL that `llm386 inspect --web` printed, with its ?token= part.',
      );
    }
    try {
      return (await response.json()) as ApiResult<ApiOutput<typeof method>>;
    } catch {
      return failure(
        'bad-response',
        `The server answered ${response.status} without a JSON result.`,
      );
    }
  };
}

function failure(code: string, message: string) {
  return { ok: false as const, error: { code, message } };
}

/** The client for this page: the bridge when the preload set one, else HTTP with the page's token. */
export function defaultClient(): ApiCall {
  return window.llm386 !== undefined
    ? bridgeClient(window.llm386)
    : httpClient(window.fetch.bind(window), adoptUrlToken(browserTokenHost()));
}
