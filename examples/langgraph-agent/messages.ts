// The packed prompt as LangChain messages: what the graph's model node sends. The store is the
// only memory; these messages are rebuilt from it on every model call.
import {
  AIMessage,
  HumanMessage,
  SystemMessage,
  ToolMessage,
  type BaseMessage,
} from '@langchain/core/messages';
import type { ChatMessage } from '../../src-core/index';

/** Packed chat messages (`Runtime.pack(..., { mode: 'chat' })`) as LangChain messages, tool calls and results paired by id. */
export function toLangChainMessages(messages: readonly ChatMessage[]): BaseMessage[] {
  return messages.map((m) => {
    switch (m.role) {
      case 'system':
        return new SystemMessage(m.content);
      case 'user':
        return new HumanMessage(m.content);
      case 'assistant':
        return new AIMessage({
          content: m.content,
          tool_calls: (m.toolCalls ?? []).map((c) => ({
            id: c.id,
            name: c.name,
            args: parseArgs(c.arguments),
            type: 'tool_call' as const,
          })),
        });
      case 'tool':
        return new ToolMessage({ content: m.content, tool_call_id: m.toolCallId ?? '' });
    }
  });
}

function parseArgs(text: string): Record<string, unknown> {
  try {
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : { input: parsed };
  } catch {
    return { input: text };
  }
}

/** A message's content as plain text (LangChain content may be a list of parts). */
export function messageText(message: BaseMessage): string {
  const content = message.content;
  if (typeof content === 'string') return content;
  return content
    .map((part) =>
      typeof part === 'string'
        ? part
        : part.type === 'text' && typeof part['text'] === 'string'
          ? part['text']
          : '',
    )
    .join('');
}
