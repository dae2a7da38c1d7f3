// Runs the Graph view's layout in a Web Worker (./graph-layout-worker.ts), so the page's thread
// stays free while fcose works. One worker, started on first use and kept. fcose cannot be
// interrupted: a layout given up while the worker runs it (another graph, the view left) stops the
// worker, and the layouts still wanted go to a new one. Where no worker can start (no Worker, a
// page that forbids it), layouts run on the page as before.
import type { GraphEdgeView, GraphNodeView } from '../../src-main/api/contract';
import {
  layoutPositions,
  type LayoutReply,
  type LayoutRequest,
  type Positions,
} from './graph-layout-run';

/** A layout under way: its positions, and how to give it up. */
export interface PendingLayout {
  readonly positions: Promise<Positions>;
  /** Gives the layout up: its promise never settles. */
  cancel(): void;
}

interface Waiting {
  readonly request: LayoutRequest;
  readonly resolve: (positions: Positions) => void;
  readonly reject: (error: Error) => void;
}

const waiting = new Map<number, Waiting>();
let worker: Worker | undefined;
let workerFailed = false;
let nextId = 1;

/** Lays out `nodes` and `edges` off the page's thread. */
export function layoutOffThread(
  nodes: readonly GraphNodeView[],
  edges: readonly GraphEdgeView[],
  large: boolean,
): PendingLayout {
  if (workerFailed || typeof Worker === 'undefined') return onThisThread(nodes, edges, large);
  const request: LayoutRequest = { id: nextId++, nodes, edges, large };
  const positions = new Promise<Positions>((resolve, reject) => {
    waiting.set(request.id, { request, resolve, reject });
  });
  send(request);
  return {
    positions,
    cancel: () => {
      if (!waiting.delete(request.id)) return;
      // The worker works on the oldest request first: free it when that is this one.
      if (worker !== undefined && [...waiting.keys()].every((id) => id > request.id)) restart();
    },
  };
}

function send(request: LayoutRequest): void {
  const target = startWorker();
  if (target !== undefined) {
    target.postMessage(request);
    return;
  }
  const entry = waiting.get(request.id);
  waiting.delete(request.id);
  if (entry !== undefined)
    onThisThread(request.nodes, request.edges, request.large).positions.then(
      entry.resolve,
      entry.reject,
    );
}

/** Starts the worker ahead of the first layout (loading its code takes 100-200 ms), where workers exist. */
export function prepareLayoutWorker(): void {
  if (typeof Worker !== 'undefined') startWorker();
}

function startWorker(): Worker | undefined {
  if (worker !== undefined || workerFailed) return worker;
  let started: Worker;
  try {
    started = new Worker(new URL('./graph-layout-worker.ts', import.meta.url), {
      type: 'module',
      name: 'graph layout',
    });
  } catch {
    workerFailed = true;
    return undefined;
  }
  started.addEventListener('message', (event: MessageEvent<LayoutReply>) => {
    const entry = waiting.get(event.data.id);
    if (entry === undefined) return;
    waiting.delete(event.data.id);
    if ('error' in event.data) entry.reject(new Error(`graph layout failed: ${event.data.error}`));
    else entry.resolve(event.data.positions);
  });
  started.addEventListener('error', (event) => {
    // A worker that cannot load (a policy, a missing file): lay out on the page from now on.
    event.preventDefault();
    workerFailed = true;
    restart();
  });
  worker = started;
  return worker;
}

/** Stops the worker and sends the layouts still wanted to a new one (or to the page). */
function restart(): void {
  worker?.terminate();
  worker = undefined;
  for (const { request } of [...waiting.values()]) send(request);
}

function onThisThread(
  nodes: readonly GraphNodeView[],
  edges: readonly GraphEdgeView[],
  large: boolean,
): PendingLayout {
  let cancelled = false;
  const positions = new Promise<Positions>((resolve, reject) => {
    // After a frame, so a busy indicator shows before the thread is taken.
    setTimeout(() => {
      if (cancelled) return;
      try {
        resolve(layoutPositions(nodes, edges, large));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    }, 0);
  });
  return { positions, cancel: () => (cancelled = true) };
}
