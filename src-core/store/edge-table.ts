// The typed-edge graph's two direction indexes: each edge stored both ways with the write that
// added it, tool-invocation pairs checked. Owned by one Store, in its write transactions.
import { Llm386Error, parseBlockId, type BlockId, type EdgeKind } from '../base/index';
import type { BlockRecord, Edge } from './block';
import type { Change, StoreDatabases } from './tables';

const END = '\uffff';

/** The edges of one open store. */
export class EdgeTable {
  constructor(
    private readonly db: StoreDatabases,
    private readonly logChange: (change: Change) => number,
  ) {}

  /**
   * A `tool-invocation` edge runs from the assistant message that made a call to the tool result
   * answering it (its `toolCallId` is one of the message's calls), and a result has one caller:
   * anything else packs into provider requests the providers reject.
   */
  checkToolPair(from: BlockRecord, to: BlockRecord): void {
    const fix =
      'link an assistant-message with tool calls to the tool-result whose tool call id it made';
    if (
      from.kind !== 'assistant-message' ||
      from.toolCalls === undefined ||
      from.toolCalls.length === 0
    ) {
      throw new Llm386Error(
        'invalid-input',
        `a tool-invocation edge starts at an assistant message with tool calls, not ${from.kind === 'assistant-message' ? 'an assistant message without calls' : `a ${from.kind}`} (${from.id}): ${fix}`,
      );
    }
    if (to.kind !== 'tool-result')
      throw new Llm386Error(
        'invalid-input',
        `a tool-invocation edge ends at a tool-result, not a ${to.kind} (${to.id}): ${fix}`,
      );
    if (to.toolCallId === undefined || !from.toolCalls.some((c) => c.id === to.toolCallId)) {
      throw new Llm386Error(
        'invalid-input',
        `tool result ${to.id} answers call ${JSON.stringify(to.toolCallId ?? '')}, which ${from.id} did not make (its calls: ${from.toolCalls.map((c) => c.id).join(', ')})`,
      );
    }
    for (const key of this.db.edgesIn.getKeys({
      start: [to.id, 'tool-invocation'],
      end: [to.id, 'tool-invocation', END],
    })) {
      const caller = (key as string[])[2];
      if (caller !== undefined && caller !== from.id)
        throw new Llm386Error(
          'invalid-input',
          `tool result ${to.id} already answers ${caller}: a result has one caller`,
        );
    }
  }

  /** Adds an edge (in the caller's write transaction); false when it existed. */
  put(from: BlockId, kind: EdgeKind, to: BlockId): boolean {
    if (this.db.edgesOut.doesExist([from, kind, to])) return false;
    const seq = this.logChange({ op: 'edge', id: from, to, kind });
    this.db.edgesOut.putSync([from, kind, to], seq);
    this.db.edgesIn.putSync([to, kind, from], seq);
    return true;
  }

  /** The write that added an edge (0 for edges older than write sequences), or undefined when there is no such edge. */
  seq(from: string, kind: EdgeKind, to: string): number | undefined {
    const value = this.db.edgesOut.get([from, kind, to]);
    return value === undefined ? undefined : (value ?? 0);
  }

  /** Every edge with the write that added it, in (from, kind, to) order. */
  *all(): Generator<Edge & { readonly seq: number }> {
    for (const { key, value } of this.db.edgesOut.getRange()) {
      const [from, kind, to] = key as [BlockId, EdgeKind, BlockId];
      yield { from, kind, to, seq: value ?? 0 };
    }
  }

  /** Edges leaving (`out`), entering (`in`) or touching (`both`) a block, through the direction indexes. */
  of(id: string, direction: 'out' | 'in' | 'both' = 'out'): Edge[] {
    const blockId = parseBlockId(id);
    const out: Edge[] = [];
    if (direction !== 'in') {
      for (const key of this.db.edgesOut.getKeys({ start: [blockId], end: [blockId, END] })) {
        const [from, kind, to] = key as [BlockId, EdgeKind, BlockId];
        out.push({ from, kind, to });
      }
    }
    if (direction !== 'out') {
      for (const key of this.db.edgesIn.getKeys({ start: [blockId], end: [blockId, END] })) {
        const [to, kind, from] = key as [BlockId, EdgeKind, BlockId];
        out.push({ from, kind, to });
      }
    }
    return out;
  }
}
