// Handlers of ../contract/contract-asof.ts (the store as of a turn);
// merged into the full map by ./index.ts.
// They read the store through src-core's tracer/as-of.ts; a session's list at a watermark is
// filtered once and kept (./as-of-lists.ts), so a 100k-block session pages without rereading it.
import { AsOfLists } from './as-of-lists';
import { previewOf } from './block-query';
import type {
  AsOfBlockView,
  AsOfOutputs,
  AsOfTurnView,
  BetweenView,
  WrittenBlockView,
} from '../contract/contract-asof';
import { BETWEEN_MAX, BETWEEN_SCAN_MAX } from '../contract/contract-asof';
import type { BlockSummary, EdgeView } from '../contract';
import type {
  GraphEdgeView,
  GraphNodeView,
  GraphResult,
  GraphRole,
} from '../contract/contract-graph';
import type { FeatureContext, ImplementationsOf } from './handler-context';
import {
  asOfTrace,
  edgesAt,
  existedAt,
  getTrace,
  KIND_SECTION,
  listTraceSummaries,
  writtenBetween,
  type AsOf,
  type BlockRecord,
  type Edge,
} from '../../runtime';

/** A turn's watermark and what the view's header says about it. */
interface Turn {
  readonly view: AsOfTurnView;
  readonly at: AsOf;
  /** The turn's candidates: id -> selected or omitted, with the reason and tokens. */
  readonly marks: ReadonlyMap<
    string,
    { readonly role: GraphRole; readonly reason: GraphNodeView['reason']; readonly tokens: number }
  >;
  readonly selected: readonly string[];
}

/** Turns kept decoded (a 128k-token turn's record is about 1 MB; a page of blocks needs only its watermark). */
const MAX_TURNS = 8;

/** The implementations of this feature's methods over one open store. */
export function asOfImplementations(context: FeatureContext): ImplementationsOf<keyof AsOfOutputs> {
  const { store, blocks } = context;
  const lists = new AsOfLists(store, blocks);
  const turns = new Map<string, Turn>();
  let gone:
    { readonly key: string; readonly value: AsOfOutputs['asof.sessions']['goneSince'] } | undefined;

  const turn = (callId: string): Turn => {
    const hit = turns.get(callId);
    if (hit !== undefined) return hit;
    const record = getTrace(store, callId);
    const at = asOfTrace(record);
    const marks = new Map<
      string,
      { role: GraphRole; reason: GraphNodeView['reason']; tokens: number }
    >();
    for (const s of record.plan.selected)
      marks.set(s.id, { role: 'selected', reason: s.reason, tokens: s.tokens });
    for (const o of record.plan.omitted)
      if (!marks.has(o.id))
        marks.set(o.id, { role: 'omitted', reason: o.reason, tokens: o.tokensNeeded });
    const value: Turn = {
      view: {
        callId: record.callId,
        session: record.session,
        task: previewOf(record.task),
        createdAt: record.createdAt,
        seq: at.seq,
        watermarkId: at.id ?? null,
      },
      at,
      marks,
      selected: record.plan.selected.map((s) => s.id),
    };
    if (turns.size >= MAX_TURNS) turns.delete(turns.keys().next().value ?? '');
    turns.set(callId, value);
    return value;
  };

  /** The sessions a block had joined by `at`, with the write that added it to each. */
  const joins = (record: BlockRecord, at: AsOf) => {
    const then: { session: string; seq: number }[] = [];
    const later: { session: string; seq: number }[] = [];
    for (const session of record.sessions) {
      const seq = store.joinedAt(record.id, session) ?? 0;
      (seq <= at.seq ? then : later).push({ session, seq });
    }
    return { then, later };
  };

  /** A list row as the turn saw it: the sessions it had joined then. */
  const rowAt = (record: BlockRecord, at: AsOf): BlockSummary => {
    const summary = blocks.summary(record);
    if (record.sessions.length === 1) return summary;
    return { ...summary, sessions: joins(record, at).then.map((j) => j.session) };
  };

  const written = (id: string): WrittenBlockView => {
    const record = store.getRecord(id);
    if (record === undefined) return { id, kind: null, section: null, preview: null };
    return {
      id,
      kind: record.kind,
      section: KIND_SECTION[record.kind],
      preview: blocks.blockPreview(id)?.preview ?? '',
    };
  };

  const edgeView =
    (self: string) =>
    (edge: Edge): EdgeView => {
      const otherId = edge.from === self ? edge.to : edge.from;
      const other = store.getRecord(otherId);
      return {
        from: edge.from,
        kind: edge.kind,
        to: edge.to,
        other:
          other === undefined
            ? null
            : {
                id: other.id,
                kind: other.kind,
                preview: blocks.blockPreview(other.id)?.preview ?? '',
              },
      };
    };

  /** Blocks deleted and memberships removed after `seq`, counted over at most BETWEEN_MAX writes. */
  const goneSince = (seq: number) => {
    const now = store.changeSeq();
    const key = `${seq}:${now}`;
    if (gone?.key === key) return gone.value;
    let deleted = 0;
    let removed = 0;
    const changes = store.changesSince(seq, BETWEEN_MAX);
    for (const c of changes) {
      if (c.op === 'delete') deleted++;
      else if (c.op === 'remove') removed++;
    }
    const value = {
      deleted,
      removed,
      lowerBound: changes.length === BETWEEN_MAX && now - seq > BETWEEN_MAX,
    };
    gone = { key, value };
    return value;
  };

  return {
    'asof.sessions': (input) => {
      const t = turn(input.callId);
      const sessions = store.sessions().map(({ session, blocks: now }) => ({
        session,
        blocks: lists.ids(session, t.at).length,
        now,
      }));
      // Sessions that held blocks then first (in store order), then those made since.
      const ordered = [
        ...sessions.filter((s) => s.blocks > 0),
        ...sessions.filter((s) => s.blocks === 0),
      ];
      return {
        turn: t.view,
        nowSeq: store.changeSeq(),
        sessions: ordered,
        goneSince: goneSince(t.at.seq),
      };
    },

    'asof.blocks': (input) => {
      const t = turn(input.callId);
      const { callId: _callId, session, offset, limit, ...filters } = input;
      const ids = lists.matching(session, t.at, filters);
      const start = Math.min(offset, ids.length);
      const window = ids.slice(start, start + limit);
      const items: BlockSummary[] = [];
      for (const id of window) {
        const record = store.getRecord(id);
        if (record !== undefined) items.push(rowAt(record, t.at));
      }
      const last = window[window.length - 1];
      return {
        offset: start,
        items,
        total: ids.length,
        nextCursor: start + limit < ids.length && last !== undefined ? last : null,
      };
    },

    'asof.block': (input): AsOfBlockView => {
      const t = turn(input.callId);
      const record = store.requireRecord(input.id);
      const existed = existedAt(record, t.at);
      const { then, later } = joins(record, t.at);
      const { text, truncated } = blocks.fullText(record);
      const all = store.edges(record.id, 'both');
      const edges = existed ? edgesAt(store, record.id, t.at, 'both') : [];
      const view = edgeView(record.id);
      return {
        turn: t.view,
        existed,
        writtenSeq: record.seq ?? 0,
        block: {
          ...blocks.summary(record),
          sessions: existed ? then.map((j) => j.session) : [],
          text,
          truncated,
        },
        joined: existed ? then : [],
        joinedLater: existed ? later : [...then, ...later],
        out: edges.filter((e) => e.from === record.id).map(view),
        in: edges.filter((e) => e.to === record.id).map(view),
        edgesLater: all.length - edges.length,
      };
    },

    'asof.graph': (input): GraphResult => {
      const t = turn(input.callId);
      const roots =
        input.block !== undefined ? [input.block] : t.selected.filter((id) => store.hasBlock(id));
      if (input.block !== undefined) {
        const root = store.requireRecord(input.block);
        if (!existedAt(root, t.at))
          return {
            nodes: [],
            edges: [],
            total: 0,
            totalIsLowerBound: false,
            truncated: false,
            listedOnly: [],
            turn: { callId: t.view.callId, session: t.view.session, task: t.view.task, missing: 0 },
          };
      }
      // Breadth-first over the edges as they were, as src-core's neighbourhood() walks today's.
      const seen = new Set<string>(roots);
      const edges = new Map<string, GraphEdgeView>();
      let frontier = [...seen].sort();
      let truncated = false;
      for (let hop = 0; hop < input.depth && frontier.length > 0; hop++) {
        const next: string[] = [];
        for (const id of frontier) {
          for (const e of edgesAt(store, id, t.at, 'both')) {
            const other = e.from === id ? e.to : e.from;
            if (!seen.has(other)) {
              if (seen.size >= input.maxNodes) {
                truncated = true;
                continue;
              }
              seen.add(other);
              next.push(other);
            }
            edges.set(`${e.from}|${e.kind}|${e.to}`, { from: e.from, kind: e.kind, to: e.to });
          }
        }
        frontier = next.sort();
      }
      // Depth 0 still draws the edges among the roots.
      if (input.depth === 0) {
        for (const id of roots)
          for (const e of edgesAt(store, id, t.at, 'out'))
            if (seen.has(e.to))
              edges.set(`${e.from}|${e.kind}|${e.to}`, { from: e.from, kind: e.kind, to: e.to });
      }
      const nodes: GraphNodeView[] = [];
      for (const id of [...seen].sort()) {
        const record = store.getRecord(id);
        if (record === undefined) continue;
        const mark =
          id === input.block
            ? { role: 'root' as const, reason: null, tokens: null }
            : (t.marks.get(id) ?? { role: 'neighbour' as const, reason: null, tokens: null });
        const session = joins(record, t.at).then[0]?.session ?? record.sessions[0] ?? '';
        nodes.push({
          id,
          kind: record.kind,
          section: KIND_SECTION[record.kind],
          preview: blocks.blockPreview(id)?.preview ?? '',
          session,
          ...mark,
        });
      }
      const drawn = [...edges.values()].filter((e) => seen.has(e.from) && seen.has(e.to));
      return {
        nodes,
        edges: drawn,
        total: nodes.length,
        totalIsLowerBound: truncated,
        truncated,
        listedOnly: [],
        turn: {
          callId: t.view.callId,
          session: t.view.session,
          task: t.view.task,
          missing: input.block === undefined ? t.selected.length - roots.length : 0,
        },
      };
    },

    'asof.between': (input): BetweenView => {
      const from = turn(input.from);
      const to = input.to === undefined ? undefined : turn(input.to);
      const toSeq = to?.at.seq ?? store.changeSeq();
      const reversed = toSeq < from.at.seq;
      // Every write is read (counted), then each list is cut: edges and calls stay visible behind
      // 10k added messages. An add costs one membership read; 100k writes take about 150 ms.
      const w = writtenBetween(store, from.at.seq, toSeq, BETWEEN_SCAN_MAX);
      const { limit } = input;
      const calls = w.calls.slice(0, limit);
      const tasks = new Map<string, string>();
      for (const session of new Set(calls.map((c) => c.session))) {
        if (session === '') continue;
        for (const s of listTraceSummaries(store, session)) tasks.set(s.callId, previewOf(s.task));
      }
      return {
        from: reversed && to !== undefined ? to.view : from.view,
        to: reversed ? from.view : (to?.view ?? null),
        reversed,
        fromSeq: w.from,
        toSeq: w.to,
        added: w.added.slice(0, limit).map((a) => {
          const record = store.getRecord(a.id);
          return {
            ...written(a.id),
            session: a.session,
            seq: a.seq,
            existedBefore: record !== undefined && (record.seq ?? 0) <= w.from,
          };
        }),
        removed: w.removed
          .slice(0, limit)
          .map((r) => ({ ...written(r.id), session: r.session, seq: r.seq })),
        deleted: w.deleted.slice(0, limit).map((d) => ({ id: d.id, seq: d.seq })),
        edges: w.edges
          .slice(0, limit)
          .map((e) => ({ from: written(e.from), kind: e.kind, to: written(e.to), seq: e.seq })),
        calls: calls.map((c) => ({
          callId: c.callId,
          session: c.session,
          seq: c.seq,
          task: tasks.get(c.callId) ?? null,
        })),
        totals: {
          added: w.added.length,
          removed: w.removed.length,
          deleted: w.deleted.length,
          edges: w.edges.length,
          calls: w.calls.length,
        },
        truncated: w.truncated,
      };
    },
  };
}
