/**
 * Whether `url` is the app's own page. `appUrl` is what the window loaded (a file: URL in
 * production, the dev server in development). Main accepts IPC only from frames on this page and
 * lets the window navigate only within it.
 */
export function isAppPageUrl(url: string | undefined, appUrl: string): boolean {
  if (url === undefined || url === '') return false;
  let page: URL;
  let app: URL;
  try {
    page = new URL(url);
    app = new URL(appUrl);
  } catch {
    return false;
  }
  if (page.protocol !== app.protocol) return false;
  // file: URLs have an opaque origin: compare the page itself (hash and query may differ).
  if (app.protocol === 'file:') return page.pathname === app.pathname && page.host === app.host;
  return page.origin === app.origin;
}
