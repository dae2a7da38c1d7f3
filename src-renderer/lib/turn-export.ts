// A recorded turn as one JSON document (plan, prompt, messages, output) and its download. The file
// is made in the renderer and saved through the browser's download, so no file path ever crosses
// the boundary.
import type { TurnDetail, TurnPrompt } from '../../src-main/api/contract';

/** The export format's name and version, so readers can tell what they hold. */
export const TURN_EXPORT_FORMAT = 'llm386-turn';
export const TURN_EXPORT_VERSION = 1;

export function turnExport(detail: TurnDetail, prompt: TurnPrompt): Record<string, unknown> {
  return {
    format: TURN_EXPORT_FORMAT,
    version: TURN_EXPORT_VERSION,
    turn: detail.turn,
    policy: detail.policy,
    plan: detail.plan,
    blocks: detail.blocks,
    missing: detail.missing,
    prompt: {
      mode: prompt.mode,
      exact: prompt.exact,
      text: prompt.prompt?.text ?? null,
      spans: prompt.prompt?.spans ?? [],
      tokens:
        prompt.mode === 'string'
          ? (prompt.prompt?.tokens ?? null)
          : (prompt.chat?.tokens ?? prompt.prompt?.tokens ?? null),
      promptHash: detail.turn.promptHash,
    },
    messages: prompt.chat?.messages ?? null,
    messageSpans: prompt.chat?.spans ?? [],
    request: prompt.request === null ? null : parseOr(prompt.request),
    output: prompt.output,
  };
}

/** The file name of a turn's export. */
export function turnExportName(detail: TurnDetail): string {
  return `llm386-turn-${detail.turn.session}-${detail.turn.callId}.json`;
}

/** Saves `value` as a JSON file through a download. */
export function downloadJson(name: string, value: unknown): void {
  const blob = new Blob([`${JSON.stringify(value, null, 2)}\n`], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // Revoke after the click has handed the blob to the download.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function parseOr(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
