// Web mode's API from a bench's page: the token travels in a header (no cookie), as the page sends it.
import { WEB_TOKEN_HEADER } from '../src-main/api/contract';

/** Headers for `POST /api/<method>` on the inspector whose printed URL is `url`. */
export function apiHeaders(url: string): Record<string, string> {
  const token = new URL(url).searchParams.get('token');
  if (token === null) throw new Error(`no ?token= in ${url}`);
  return { 'Content-Type': 'application/json', [WEB_TOKEN_HEADER]: token };
}
