// A deterministic, offline stand-in for a language model. It reads only the packed messages (what a
// real model would see) and answers by rule: arithmetic goes to the calculator, profile questions to
// the lookup tool, statements about the user become a memory envelope, questions about the user are
// answered from the fact lines in the prompt. Same messages, same reply.
import { canonicalJson, sha256Hex, type ChatMessage, type ToolCall } from '../../src-core/index';
import { factEnvelope, parseClaim } from './memory';
import { packedMessages, type Model, type ModelReply, type ModelRequest } from './model';
import { CALCULATOR, LOOKUP_PROFILE } from './tools';

/** The task prefix the agent uses for a turn; the scripted model reads the user's text after it when the message itself is not in the prompt. */
export const TURN_TASK_PREFIX = "Reply to the user's latest message: ";
/** The task prefix of a summarising call. */
export const SUMMARY_TASK_PREFIX = 'Summarize';

/** Options of {@link ScriptedModel}. */
export interface ScriptedModelOptions {
  /** The model profile to page and pack for (default gpt-4o). */
  readonly profile?: string | undefined;
  /**
   * How calls are packed (default `chat`). `openai` or `anthropic` record the provider request body
   * in the trace, as a real model would; the scripted model still reads the chat messages.
   */
  readonly mode?: 'chat' | 'openai' | 'anthropic' | undefined;
}

/** The deterministic offline model: the default when no API key is set. */
export class ScriptedModel implements Model {
  readonly label = 'scripted (offline)';
  readonly profile: string;
  readonly mode: 'chat' | 'openai' | 'anthropic';

  constructor(options: ScriptedModelOptions = {}) {
    this.profile = options.profile ?? 'gpt-4o';
    this.mode = options.mode ?? 'chat';
  }

  complete(request: ModelRequest): Promise<ModelReply> {
    return Promise.resolve(
      scriptedReply(
        packedMessages(request),
        request.toolChoice === 'auto' && request.tools.length > 0,
      ),
    );
  }
}

interface Reading {
  /** The task line(s), without the `## Task` header. */
  readonly task: string;
  /** Conversation messages, oldest first (not the system, context or task messages). */
  readonly conversation: readonly ChatMessage[];
  /** Every rendered line outside the conversation and the task: facts, summaries, documents. */
  readonly knowledge: readonly string[];
  /** The first line of each user message rendered as text (outside the conversation), oldest first. */
  readonly olderUserLines: readonly string[];
}

function read(messages: readonly ChatMessage[]): Reading {
  const last = messages[messages.length - 1];
  const task = (last?.content ?? '').replace(/^## Task\n/, '').trim();
  const conversation: ChatMessage[] = [];
  const knowledge: string[] = [];
  const olderUserLines: string[] = [];
  messages.slice(0, -1).forEach((m, i) => {
    const isSectionText = m.content.startsWith('## ') || (i === 0 && m.role === 'system');
    if (!isSectionText) {
      conversation.push(m);
      return;
    }
    let label = '';
    for (const line of m.content.split('\n')) {
      const text = line.trim();
      if (/^\[[^\]]*\]$/.test(text)) {
        label = text;
        continue;
      }
      if (text === '' || text.startsWith('## ') || text.startsWith('[tool call]')) continue;
      // Messages rendered as text (outside the conversation) are not knowledge, except to summaries.
      if (label.startsWith('[user')) olderUserLines.push(text);
      else if (label === '' || !/^\[(?:user|assistant|tool result)\b/.test(label))
        knowledge.push(text);
      label = '';
    }
  });
  return { task, conversation, knowledge, olderUserLines };
}

/** The reply of the scripted model to packed messages; `toolsOffered` false forces a text answer. */
export function scriptedReply(messages: readonly ChatMessage[], toolsOffered: boolean): ModelReply {
  const r = read(messages);
  if (r.task.startsWith(SUMMARY_TASK_PREFIX)) return text(summarize(r));

  // After a tool round: the conversation ends with the calling message and its results.
  const tail: ChatMessage[] = [];
  for (let i = r.conversation.length - 1; i >= 0 && r.conversation[i]?.role === 'tool'; i--)
    tail.unshift(r.conversation[i] as ChatMessage);
  const caller = r.conversation[r.conversation.length - 1 - tail.length];
  const userText = latestUserText(
    r,
    tail.length > 0 ? r.conversation.length - 1 - tail.length : r.conversation.length,
  );
  const facts = statedFacts(userText);
  const memory = facts.length === 0 ? '' : `\n\n${factEnvelope(facts)}`;
  if (tail.length > 0 && caller?.role === 'assistant' && (caller.toolCalls?.length ?? 0) > 0) {
    return text(toolAnswer(tail) + memory);
  }

  if (toolsOffered) {
    const calls = toolCallsFor(userText, r, messages);
    if (calls.length > 0) return { text: '', toolCalls: calls };
  }
  return text(answer(userText, facts, r) + memory);
}

function text(value: string): ModelReply {
  return { text: value, toolCalls: [] };
}

/** The user's latest message before conversation index `end`, else the text the task quotes. */
function latestUserText(r: Reading, end: number): string {
  for (let i = end - 1; i >= 0; i--) {
    const m = r.conversation[i];
    if (m?.role === 'user') return m.content.trim();
    if (m?.role === 'assistant' && (m.toolCalls?.length ?? 0) === 0) break;
  }
  return r.task.startsWith(TURN_TASK_PREFIX)
    ? r.task.slice(TURN_TASK_PREFIX.length).trim()
    : r.task;
}

const NAME = String.raw`([A-Z][\p{L}'-]*(?:\s+[A-Z][\p{L}'-]*)*)`;
const PHRASE = String.raw`([\p{L}\d][\p{L}\d &'-]*?)`;
const END = String.raw`(?=\s*(?:[.,!?;]|\band\b|\bnow\b|$))`;

/** Facts the user states about themselves, as fact sentences ("The user lives in Paris."). */
export function statedFacts(message: string): string[] {
  const facts: string[] = [];
  const grab = (re: RegExp, make: (m: RegExpExecArray) => string) => {
    const m = re.exec(message);
    if (m !== null) facts.push(make(m));
  };
  grab(
    new RegExp(String.raw`\b(?:[Mm]y name is|[Cc]all me)\s+${NAME}`, 'u'),
    (m) => `The user's name is ${m[1]}.`,
  );
  grab(
    new RegExp(String.raw`\b[Ii] (?:live|am living|'m living) in\s+${NAME}`, 'u'),
    (m) => `The user lives in ${m[1]}.`,
  );
  grab(
    new RegExp(String.raw`\b[Ii] (?:moved|have moved|relocated) to\s+${NAME}`, 'u'),
    (m) => `The user lives in ${m[1]}.`,
  );
  grab(
    new RegExp(String.raw`\bI work as (an? )?${PHRASE}${END}`, 'iu'),
    (m) => `The user works as ${m[1] ?? ''}${m[2]}.`,
  );
  grab(new RegExp(String.raw`\b[Ii] work at\s+${NAME}`, 'u'), (m) => `The user works at ${m[1]}.`);
  grab(
    new RegExp(String.raw`\bmy favou?rite (\p{L}+) is ${PHRASE}${END}`, 'iu'),
    (m) => `The user's favorite ${(m[1] as string).toLowerCase()} is ${m[2]}.`,
  );
  return facts;
}

const WORD_OPS: readonly [RegExp, string][] = [
  [/\bplus\b/gi, '+'],
  [/\bminus\b/gi, '-'],
  [/\b(?:times|multiplied by)\b/gi, '*'],
  [/\bdivided by\b/gi, '/'],
  [/\bto the power of\b/gi, '^'],
  [/[×x](?=\s*[\d(])/g, '*'],
  [/÷/g, '/'],
];

/** Arithmetic expressions in a message ("what is 12*7?" gives ["12*7"]). */
export function arithmeticIn(message: string): string[] {
  let s = message;
  for (const [re, op] of WORD_OPS) s = s.replace(re, op);
  const found: string[] = [];
  for (const m of s.matchAll(/[\d.(][\d\s.+\-*/%^()]*[\d.)]/g)) {
    const expression = m[0].trim();
    if (
      /\d/.test(expression) &&
      /\d\s*[-+*/%^]\s*[\d(.-]|\)\s*[-+*/%^]|[-+*/%^]\s*\(/.test(expression)
    )
      found.push(expression);
  }
  return found;
}

/** Who a profile question is about: "my" means the user (by the name fact), else the name or id mentioned. */
function profileSubject(message: string, r: Reading): string | undefined {
  if (/\bmy (?:profile|account|plan|subscription)\b/i.test(message)) return knownValue(r, 'name');
  const named =
    /\b(?:for|of|user|about|customer)\s+([A-Za-z][\p{L}-]*(?:\s+[A-Z][\p{L}-]*)?)/u.exec(message);
  if (named !== null && !/^(?:the|a|an|me|my|user|customer)$/i.test(named[1] as string))
    return named[1];
  const capitalised = /\s([A-Z][\p{L}-]+(?:\s+[A-Z][\p{L}-]+)?)/u.exec(message);
  return capitalised?.[1];
}

function toolCallsFor(message: string, r: Reading, messages: readonly ChatMessage[]): ToolCall[] {
  // Call ids are unique like a provider's, yet deterministic: derived from what the model saw.
  const prefix = `call_${sha256Hex(canonicalJson(messages)).slice(0, 12)}_`;
  const calls: ToolCall[] = [];
  const expressions = arithmeticIn(message);
  expressions.forEach((expression) =>
    calls.push({
      id: `${prefix}${calls.length + 1}`,
      name: CALCULATOR,
      arguments: JSON.stringify({ expression }),
    }),
  );
  if (
    /\b(?:profile|account|subscription|look ?up|plan is)\b/i.test(message) ||
    /\bwhat plan\b/i.test(message)
  ) {
    const user = profileSubject(message, r);
    if (user !== undefined)
      calls.push({
        id: `${prefix}${calls.length + 1}`,
        name: LOOKUP_PROFILE,
        arguments: JSON.stringify({ user }),
      });
  }
  return calls;
}

function toolAnswer(results: readonly ChatMessage[]): string {
  return results
    .map((m) => {
      const content = m.content.trim();
      if (content.startsWith('error:'))
        return `Sorry, that did not work (${content.slice(6).trim()}).`;
      if (content.startsWith('Profile ')) return `Here is what I found. ${content}`;
      return `${content}.`;
    })
    .join(' ');
}

/** Facts about the user visible in the prompt, newest last, as claims with their lines. */
function userClaims(r: Reading) {
  const lines = r.knowledge.filter((l) => /^The user\b/.test(l));
  const name = [...lines]
    .reverse()
    .map(parseClaim)
    .find((c) => c?.attribute === 'name')?.value;
  return r.knowledge
    .map((line) => ({ line, claim: parseClaim(line) }))
    .filter(
      (x) =>
        x.claim !== undefined &&
        (x.claim.subject === 'user' || (name !== undefined && x.claim.subject === name)),
    )
    .map((x) => ({
      line: x.line,
      claim: x.claim as NonNullable<typeof x.claim>,
      own: x.claim?.subject === 'user',
    }));
}

/** The value of an attribute of the user (what they said themselves wins over other sources), in its original case. */
function knownLine(r: Reading, attribute: string): string | undefined {
  const claims = userClaims(r).filter((c) => c.claim.attribute === attribute);
  const own = claims.filter((c) => c.own);
  return (own[own.length - 1] ?? claims[claims.length - 1])?.line;
}

function knownValue(r: Reading, attribute: string): string | undefined {
  const line = knownLine(r, attribute);
  if (line === undefined) return undefined;
  const m = /(?:\bis|lives in|works as|works at)\s+(.+?)\.?$/.exec(line);
  return m?.[1];
}

/** "The user lives in Paris." as the user hears it: "You live in Paris." */
export function secondPerson(line: string): string {
  const out = line
    .replace(/^The user's /, 'Your ')
    .replace(/^The user lives /, 'You live ')
    .replace(/^The user works /, 'You work ')
    .replace(/^The user is /, 'You are ')
    .replace(/^The user prefers /, 'You prefer ')
    .replace(/^[A-Z][\p{L}'-]*(?: [A-Z][\p{L}'-]*)* lives in /u, 'You live in ');
  return /[.!?]$/.test(out) ? out : `${out}.`;
}

const QUESTIONS: readonly [RegExp, string, string][] = [
  [/\bwhat(?:'s| is) my name\b|\bwho am i\b|\b(?:know|remember) my name\b/i, 'name', 'your name'],
  [
    /\bwhere do i live\b|\bwhere am i (?:based|living)\b|\bwhat city\b/i,
    'lives in',
    'where you live',
  ],
  [
    /\bwhat do i do\b|\bwhat(?:'s| is) my (?:job|profession|occupation)\b/i,
    'works as',
    'what you do',
  ],
  [/\bwhere do i work\b/i, 'works at', 'where you work'],
];

const STOP = new Set([
  'what',
  'which',
  'does',
  'about',
  'there',
  'their',
  'should',
  'would',
  'could',
  'with',
  'from',
  'that',
  'this',
  'have',
  'tell',
  'your',
  'the',
  'and',
  'how',
  'many',
  'much',
  'when',
  'where',
  'who',
  'why',
  'are',
  'for',
  'can',
  'you',
]);

function contentWords(text: string): Set<string> {
  const words = (text.toLowerCase().match(/[\p{L}\d]+/gu) ?? []).filter(
    (w) => (w.length >= 3 || /\d/.test(w)) && !STOP.has(w),
  );
  // A crude stemmer: "includes" matches "include", "refunds" matches "refund".
  return new Set(
    words.map((w) => (w.length > 4 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w)),
  );
}

function answer(message: string, facts: readonly string[], r: Reading): string {
  for (const [re, attribute, what] of QUESTIONS) {
    if (!re.test(message)) continue;
    const line = knownLine(r, attribute);
    return line === undefined
      ? `I don't know ${what} yet. Tell me and I will remember it.`
      : secondPerson(line);
  }
  const favourite = /\bwhat(?:'s| is) my favou?rite (\p{L}+)/iu.exec(message);
  if (favourite !== null) {
    const attribute = `favorite ${(favourite[1] as string).toLowerCase()}`;
    const line = knownLine(r, attribute);
    return line === undefined ? `I don't know your ${attribute} yet.` : secondPerson(line);
  }
  if (/\bwhat do you (?:know|remember) about me\b/i.test(message)) {
    const lines = userClaims(r)
      .filter((c) => c.own)
      .map((c) => secondPerson(c.line));
    return lines.length === 0
      ? 'Nothing yet: tell me about yourself and I will remember it.'
      : `Here is what I remember: ${lines.join(' ')}`;
  }
  if (facts.length > 0) {
    const name = /^The user's name is (.+)\.$/.exec(facts[0] as string)?.[1];
    return name !== undefined
      ? `Nice to meet you, ${name}! I will remember that.`
      : `Got it, I will remember that: ${facts.map(secondPerson).join(' ')}`;
  }
  if (/\b(?:thanks|thank you)\b/i.test(message)) return "You're welcome!";
  if (/\?\s*$/.test(message)) {
    const words = contentWords(message);
    let best: { line: string; overlap: number } | undefined;
    for (const line of r.knowledge) {
      if (/^The user\b/.test(line)) continue;
      let overlap = 0;
      for (const w of contentWords(line)) if (words.has(w)) overlap++;
      if (overlap >= 2 && (best === undefined || overlap > best.overlap)) best = { line, overlap };
    }
    if (best !== undefined) return `According to my notes: ${firstSentences(best.line)}`;
  }
  return 'I can evaluate arithmetic (try "what is 12*7?"), look up customer profiles ("look up the profile for ada"), and I remember what you tell me about yourself.';
}

function firstSentences(text: string): string {
  const sentences = text.match(/[^.!?]+[.!?]+/g) ?? [text];
  return sentences.slice(0, 2).join('').trim();
}

function summarize(r: Reading): string {
  const asked = [
    ...r.olderUserLines,
    ...r.conversation.filter((m) => m.role === 'user').map((m) => m.content),
  ].map((t) => t.trim().replace(/\s+/g, ' '));
  const topics = asked.slice(0, 5).map((t) => (t.length > 40 ? `${t.slice(0, 37)}...` : t));
  return topics.length === 0
    ? 'Summary: nothing to summarise yet.'
    : `Summary of the earlier conversation: the user said ${topics.map((t) => `"${t}"`).join('; ')}.`;
}
