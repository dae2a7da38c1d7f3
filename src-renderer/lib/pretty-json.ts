// JSON text made readable: the Turn view shows a provider request as sent, which is one long line.

/** The text indented two spaces when it is JSON; `json: false` and the text unchanged when not. */
export function prettyJson(text: string): { readonly text: string; readonly json: boolean } {
  try {
    return { text: JSON.stringify(JSON.parse(text) as unknown, null, 2), json: true };
  } catch {
    return { text, json: false };
  }
}
