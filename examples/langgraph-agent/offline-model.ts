// A deterministic chat model for running the demo offline and in tests. It answers only from the
// messages it is given, like a real model: a fact that is not in its prompt is a fact it does not
// know, so a test fails when paging leaves the fact's block out.
import { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, ToolMessage, type BaseMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import { messageText } from './messages';
import { CALCULATOR, LOOKUP_PROFILE } from '../agent/tools';

const NAME = "([A-Z][\\w'-]*(?: [A-Z][\\w'-]*)*)";
const ARITHMETIC = /[\d.]+(?:\s*[-+*/^%]\s*\(?\s*[\d.]+\s*\)?)+/;

/** The offline model: tool calls for arithmetic and profile lookups, answers from the prompt's lines. */
export class PromptOnlyChatModel extends BaseChatModel {
  private calls = 0;

  override _llmType(): string {
    return 'llm386-prompt-only';
  }

  /** The tools are fixed (calculator, lookup_profile): binding them changes nothing. */
  override bindTools(): this {
    return this;
  }

  override async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    const message = this.reply(messages);
    return { generations: [{ text: messageText(message), message }] };
  }

  private reply(messages: BaseMessage[]): AIMessage {
    const last = messages.at(-1);
    const question = (last === undefined ? '' : messageText(last))
      .replace(/^## Task\s*/, '')
      .trim();
    // Everything before the task, newest first: what the model may answer from.
    const context = messages.slice(0, -1).reverse();
    const previous = context[0];
    if (previous instanceof ToolMessage) return new AIMessage(`${messageText(previous).trim()}`);
    const expression = ARITHMETIC.exec(question)?.[0];
    if (expression !== undefined)
      return this.toolCall(CALCULATOR, { expression: expression.trim() });
    if (/\b(look ?up|profile|account)\b/i.test(question)) {
      const user =
        find(context, new RegExp(`my name is ${NAME}`)) ??
        new RegExp(`(?:look ?up|profile of|for) ${NAME}`).exec(question)?.[1];
      return user === undefined
        ? new AIMessage('Whose profile should I look up? Tell me your name first.')
        : this.toolCall(LOOKUP_PROFILE, { user });
    }
    const stated = new RegExp(`my name is ${NAME}`).exec(question)?.[1];
    const city = new RegExp(`I live in ${NAME}`).exec(question)?.[1];
    if (stated !== undefined || city !== undefined) {
      return new AIMessage(
        [
          stated === undefined ? '' : `Nice to meet you, ${stated}.`,
          city === undefined ? '' : `${city} noted.`,
          'I will remember that.',
        ]
          .filter((s) => s !== '')
          .join(' '),
      );
    }
    if (/what is my name|who am i/i.test(question)) {
      const name = find(context, new RegExp(`my name is ${NAME}`));
      return new AIMessage(
        name === undefined ? "I don't know your name yet." : `Your name is ${name}.`,
      );
    }
    if (/where do i live/i.test(question)) {
      const where = find(context, new RegExp(`I live in ${NAME}`));
      return new AIMessage(
        where === undefined ? "I don't know where you live yet." : `You live in ${where}.`,
      );
    }
    return new AIMessage(
      'I can do arithmetic, look up your profile, and remember what you tell me about yourself.',
    );
  }

  private toolCall(name: string, args: Record<string, string>): AIMessage {
    this.calls += 1;
    return new AIMessage({
      content: '',
      tool_calls: [
        { id: `call_${Date.now().toString(36)}_${this.calls}`, name, args, type: 'tool_call' },
      ],
    });
  }
}

/** The first capture of `pattern` in the messages, newest first, reading only user messages' text. */
function find(messages: readonly BaseMessage[], pattern: RegExp): string | undefined {
  for (const m of messages) {
    if (m.getType() !== 'human') continue;
    // The packed prompt's text sections put several blocks in one message: newest line last.
    for (const line of messageText(m).split('\n').reverse()) {
      const match = pattern.exec(line)?.[1];
      if (match !== undefined) return match;
    }
  }
  return undefined;
}
