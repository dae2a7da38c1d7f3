// A recorded prompt as people read it. String prompts are recorded as their exact text; chat and
// provider requests as canonical JSON (one long line), useless in a line diff. Those are laid out
// one message per part: a role header, the content as written, then tool calls. Every byte of
// content is kept; only the JSON framing is replaced.
import type { TurnSummary } from '../contract';

type Mode = TurnSummary['mode'];

/** The readable text of a recorded prompt's bytes (already decoded). */
export function readablePrompt(text: string, mode: Mode): string {
  if (mode === 'string') return text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text;
  }
  const out: string[] = [];
  let messages: unknown = parsed;
  if (!Array.isArray(parsed) && isObject(parsed)) {
    messages = parsed['messages'];
    // Request settings first (model, max tokens, tools), one per line, in the recorded order.
    for (const [key, value] of Object.entries(parsed)) {
      if (key === 'messages' || key === 'system') continue;
      out.push(`${key}: ${JSON.stringify(value)}`);
    }
    if (parsed['system'] !== undefined)
      out.push('', '=== system ===', contentText(parsed['system']));
  }
  if (!Array.isArray(messages)) return JSON.stringify(parsed, null, 2);
  for (const message of messages) {
    if (!isObject(message)) {
      out.push('', JSON.stringify(message));
      continue;
    }
    const role = typeof message['role'] === 'string' ? message['role'] : '?';
    const toolCallId = message['tool_call_id'] ?? message['toolCallId'];
    out.push('', `=== ${role}${typeof toolCallId === 'string' ? ` (${toolCallId})` : ''} ===`);
    if (message['content'] !== undefined && message['content'] !== null)
      out.push(contentText(message['content']));
    for (const call of asArray(message['tool_calls'] ?? message['toolCalls']))
      out.push(toolCallText(call));
  }
  return out.join('\n').replace(/^\n/, '');
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content.replace(/\n$/, '');
  if (!Array.isArray(content)) return JSON.stringify(content);
  return content
    .map((part: unknown) => {
      if (isObject(part) && part['type'] === 'text' && typeof part['text'] === 'string')
        return part['text'].replace(/\n$/, '');
      if (isObject(part) && part['type'] === 'tool_result')
        return `[tool result ${String(part['tool_use_id'] ?? '')}]\n${contentText(part['content'])}`;
      if (isObject(part) && part['type'] === 'tool_use')
        return `→ ${String(part['name'] ?? '?')}(${JSON.stringify(part['input'] ?? {})}) [${String(part['id'] ?? '')}]`;
      return JSON.stringify(part);
    })
    .join('\n');
}

function toolCallText(call: unknown): string {
  if (!isObject(call)) return `→ ${JSON.stringify(call)}`;
  const fn = isObject(call['function']) ? call['function'] : call;
  const args = fn['arguments'];
  return `→ ${String(fn['name'] ?? '?')}(${typeof args === 'string' ? args : JSON.stringify(args ?? {})}) [${String(call['id'] ?? '')}]`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}
