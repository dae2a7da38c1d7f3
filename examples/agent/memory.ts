// How the agent remembers: the model ends a reply with a json-events envelope of facts, which the
// chat-turn reducer stores as `fact` blocks; new facts are related to the facts the model saw with
// `supports` / `contradicts` edges. Everything here is pure.
import type { Reduction } from '../../src-core/index';

/** An edge of a reduction (`ReductionEdge` is not exported by src-core/index). */
export type ReductionEdge = Reduction['edges'][number];

/** A model reply split into what the user sees and the memory envelope (if any). */
export interface SplitReply {
  /** The reply without the memory fence, trimmed. */
  readonly visible: string;
  /** The memory fence(s) exactly as written (with the ``` lines), for the json-events reducer; undefined when there is none. */
  readonly envelope: string | undefined;
}

/**
 * Splits the memory envelope off a reply: every ```json fence whose content mentions `"events"`.
 * Other fences stay visible. Two envelopes are passed on together, so the json-events reducer
 * rejects them as ambiguous instead of this function guessing.
 */
export function splitMemory(text: string): SplitReply {
  const lines = text.split(/\r?\n/);
  const visible: string[] = [];
  const fences: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (/^\s*```\s*json\s*$/i.test(line)) {
      const end = lines.findIndex((l, j) => j > i && /^\s*```\s*$/.test(l));
      if (
        end !== -1 &&
        lines
          .slice(i + 1, end)
          .join('\n')
          .includes('"events"')
      ) {
        fences.push(lines.slice(i, end + 1).join('\n'));
        i = end;
        continue;
      }
    }
    visible.push(line);
  }
  return {
    visible: visible.join('\n').trim(),
    envelope: fences.length === 0 ? undefined : fences.join('\n\n'),
  };
}

/** A memory envelope for facts, as the model writes it (a ```json fence). */
export function factEnvelope(facts: readonly string[]): string {
  return [
    '```json',
    JSON.stringify({ events: facts.map((body) => ({ kind: 'fact', body })) }),
    '```',
  ].join('\n');
}

/** A fact read as (subject, attribute, value), lower-cased: "The user lives in Paris." is (user, lives in, paris). */
export interface Claim {
  readonly subject: string;
  readonly attribute: string;
  readonly value: string;
}

const VERB_CLAIM = /^(.+?) (lives in|works as|works at|is from|prefers) (.+)$/;
const POSSESSIVE_CLAIM = /^(.+?)'s ([a-z][a-z ]*?) (?:is|are) (.+)$/;

function clean(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[.!]+$/, '')
    .replace(/\s+/g, ' ');
}

function subjectOf(text: string): string {
  return text.replace(/^the /, '');
}

/** Reads a fact of the forms "<subject>'s <attribute> is <value>" or "<subject> lives in|works as|... <value>"; undefined otherwise. */
export function parseClaim(body: string): Claim | undefined {
  const text = clean(body);
  const verb = VERB_CLAIM.exec(text);
  if (verb !== null)
    return {
      subject: subjectOf(verb[1] as string),
      attribute: verb[2] as string,
      value: (verb[3] as string).replace(/^(a|an) /, ''),
    };
  const possessive = POSSESSIVE_CLAIM.exec(text);
  if (possessive !== null)
    return {
      subject: subjectOf(possessive[1] as string),
      attribute: possessive[2] as string,
      value: possessive[3] as string,
    };
  return undefined;
}

/** A fact block (or a fact about to become one). */
export interface FactRef {
  readonly id: string;
  readonly body: string;
}

/**
 * Edges from each new fact to the known facts it agrees with (`supports`: same subject and
 * attribute, same value, other wording) or disagrees with (`contradicts`: a different value).
 * "The user" is the same subject as the user's name when a fact states it ("The user's name is
 * Ada Lovelace." makes "Ada Lovelace lives in London." a claim about the user).
 */
export function relateFacts(added: readonly FactRef[], known: readonly FactRef[]): ReductionEdge[] {
  const nameFact = [...added, ...known]
    .map((f) => parseClaim(f.body))
    .find((c) => c !== undefined && c.subject === 'user' && c.attribute === 'name');
  const resolve = (subject: string) =>
    subject === 'user' && nameFact !== undefined ? nameFact.value : subject;
  const edges: ReductionEdge[] = [];
  for (const n of added) {
    const a = parseClaim(n.body);
    if (a === undefined) continue;
    for (const k of known) {
      if (k.id === n.id || clean(k.body) === clean(n.body)) continue;
      const b = parseClaim(k.body);
      if (
        b === undefined ||
        b.attribute !== a.attribute ||
        resolve(b.subject) !== resolve(a.subject)
      )
        continue;
      edges.push({ from: n.id, kind: a.value === b.value ? 'supports' : 'contradicts', to: k.id });
    }
  }
  return edges;
}
