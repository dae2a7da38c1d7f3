import { parseBlockId, parseSession, type BlockId } from '../base/index';
import type { BlockRecord, Store } from '../store/index';
import { json, parseVerbArgs, terminalSafe, usage, withStore } from './context';
import type { Verb } from './verb';

/**
 * The truncating summariser: the first sentence (at most `perBlock` characters) of each block,
 * in order, until `maxChars`. Deterministic and offline; a model-written summary can be stored
 * the same way with `put --kind summary` and `add-edge --kind derived-from`.
 */
export function truncatingSummary(
  store: Store,
  records: readonly BlockRecord[],
  maxChars: number,
  perBlock = 160,
): { text: string; covered: BlockId[] } {
  const parts: string[] = [];
  const covered: BlockId[] = [];
  let length = 0;
  for (const record of records) {
    const text = store.text(record).replace(/\s+/g, ' ').trim();
    const sentence = /^(.+?[.!?])(\s|$)/.exec(text)?.[1] ?? text;
    const clipped = sentence.length > perBlock ? `${sentence.slice(0, perBlock - 1)}…` : sentence;
    const label =
      record.kind === 'user-message'
        ? 'user: '
        : record.kind === 'assistant-message'
          ? 'assistant: '
          : '';
    const part = `${label}${clipped}`;
    if (length + part.length + 1 > maxChars && parts.length > 0) break;
    parts.push(part);
    covered.push(record.id);
    length += part.length + 1;
  }
  return { text: parts.join('\n'), covered };
}

export const summarizeVerb: Verb = {
  name: 'summarize',
  summary: 'summarise blocks by truncation; --store-summary stores it with derived-from edges',
  usage:
    'llm386 summarize --session S [--id ID]... [--keep-recent N] [--max-chars N] [--store-summary] [--json]',
  async run(args, io) {
    const { values } = parseVerbArgs('summarize', args, {
      session: { type: 'string' },
      id: { type: 'string', multiple: true },
      'keep-recent': { type: 'string', default: '10' },
      'max-chars': { type: 'string', default: '1200' },
      'store-summary': { type: 'boolean', default: false },
    });
    if (values.session === undefined) throw usage('summarize: --session is required');
    const session = parseSession(values.session);
    const keep = Number(values['keep-recent']);
    const maxChars = Number(values['max-chars']);
    if (!Number.isInteger(keep) || keep < 0)
      throw usage(`summarize: --keep-recent needs a whole number, got "${values['keep-recent']}"`);
    if (!Number.isInteger(maxChars) || maxChars < 20)
      throw usage(
        `summarize: --max-chars needs a whole number >= 20, got "${values['max-chars']}"`,
      );
    const ids = (values.id ?? []).map((id) => parseBlockId(id));
    const result = await withStore(values, io, (store) => {
      const records =
        ids.length > 0
          ? ids.map((id) => store.requireRecord(id))
          : (() => {
              const messages = store.list(session, {
                kinds: ['user-message', 'assistant-message'],
              });
              return messages.slice(0, Math.max(0, messages.length - keep));
            })();
      if (records.length === 0)
        throw usage(
          `summarize: nothing to summarise in ${session} (it has at most ${keep} messages; lower --keep-recent or pass --id)`,
        );
      const summary = truncatingSummary(store, records, maxChars);
      let id: BlockId | undefined;
      if (values['store-summary']) {
        id = store.transaction(() => {
          const put = store.put({
            session,
            kind: 'summary',
            body: summary.text,
            source: 'llm386 summarize',
          });
          for (const source of summary.covered)
            if (source !== put.block.id) store.addEdge(put.block.id, 'derived-from', source);
          return put.block.id;
        });
      }
      return { ...summary, id };
    });
    if (values.json)
      io.out(
        json({
          summary: result.text,
          covered: result.covered,
          ...(result.id === undefined ? {} : { id: result.id }),
        }),
      );
    else {
      io.out(`${terminalSafe(result.text)}\n`);
      if (result.id !== undefined)
        io.err(`stored summary ${result.id} derived from ${result.covered.length} blocks\n`);
    }
  },
};
