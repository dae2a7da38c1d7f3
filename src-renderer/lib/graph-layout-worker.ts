// The Graph view's layout in a Web Worker (started by ./graph-layout-client.ts): fcose on the blocks
// with edges and the grid for the rest take up to a second at 2,000 nodes, which on the page's
// thread froze scrolling, typing and the busy indicator meanwhile. Same code as before
// (./graph-layout.ts on a headless cytoscape), so the same positions.
import { layoutPositions, type LayoutRequest, type LayoutReply } from './graph-layout-run';

/** This worker's global scope, typed as far as it is used (the renderer's lib is the DOM's). */
const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent<LayoutRequest>) => void) | null;
  postMessage(message: LayoutReply): void;
};

scope.onmessage = (event) => {
  const { id, nodes, edges, large } = event.data;
  try {
    scope.postMessage({ id, positions: layoutPositions(nodes, edges, large) });
  } catch (error) {
    scope.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
};
