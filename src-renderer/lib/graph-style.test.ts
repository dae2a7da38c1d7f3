import { describe, expect, it } from 'vitest';
import type { GraphNodeView } from '../../src-main/api/contract';
import { layoutOptions } from './graph-layout';
import { EDGE_STYLES, graphElements, graphStyle, nodeLabel, type Palette } from './graph-style';

const palette: Palette = {
  system: '#111',
  task: '#222',
  state: '#333',
  plan: '#444',
  retrieved: '#3b82f6',
  tools: '#ea8a1a',
  recent: '#22a55a',
  background: '#777',
  fg: '#000',
  bg: '#fff',
  accent: '#00f',
};

function node(id: string, patch: Partial<GraphNodeView> = {}): GraphNodeView {
  return {
    id,
    kind: 'fact',
    section: 'retrieved',
    preview: `block ${id}`,
    session: 's',
    role: 'neighbour',
    reason: null,
    tokens: null,
    ...patch,
  };
}

describe('graph elements', () => {
  it('colour nodes by section, class them by role, and shape dependency pulls and tool pairs', () => {
    const elements = graphElements(
      [
        node('a', { role: 'selected', reason: 'dependency' }),
        node('b', {
          role: 'omitted',
          reason: 'section-budget',
          section: 'tools',
          kind: 'tool-result',
        }),
        node('c', { reason: 'tool-pair', role: 'selected' }),
        node('d'),
      ],
      [{ from: 'a', kind: 'tool-invocation', to: 'b' }],
      palette,
    );
    const byId = new Map(elements.map((e) => [e.data.id, e]));
    expect(byId.get('a')).toMatchObject({
      classes: 'selected',
      data: { color: '#3b82f6', shape: 'diamond' },
    });
    expect(byId.get('b')).toMatchObject({
      classes: 'omitted',
      data: { color: '#ea8a1a', shape: 'ellipse' },
    });
    expect(byId.get('c')).toMatchObject({ data: { shape: 'round-rectangle' } });
    expect(byId.get('d')).toMatchObject({ classes: 'neighbour' });
    expect(byId.get('a|tool-invocation|b')).toMatchObject({
      group: 'edges',
      data: {
        source: 'a',
        target: 'b',
        kind: 'tool-invocation',
        color: EDGE_STYLES['tool-invocation'].color,
      },
    });
  });

  it('draw every node in full around a block (no turn: no faint neighbours)', () => {
    const elements = graphElements([node('a', { role: 'root' }), node('b')], [], palette);
    expect(elements.map((e) => ('classes' in e ? e.classes : undefined))).toEqual([
      'root',
      'plain',
    ]);
  });

  it('cut long labels', () => {
    expect(nodeLabel(node('a', { preview: 'x'.repeat(100) }))).toHaveLength(28);
    expect(nodeLabel(node('a', { preview: '' }))).toBe('fact');
  });
});

describe('graph style and layout', () => {
  it('drop labels, arrows and curves for big graphs', () => {
    const big = JSON.stringify(graphStyle(palette, true));
    expect(big).not.toContain('label');
    expect(big).toContain('haystack');
    expect(JSON.stringify(graphStyle(palette, false))).toContain('"label":"data(kind)"');
  });

  it('use fcose, the spectral draft alone for big graphs', () => {
    expect(layoutOptions(100, false)).toMatchObject({
      name: 'fcose',
      quality: 'default',
      animate: false,
    });
    expect(layoutOptions(2000, true)).toMatchObject({
      name: 'fcose',
      quality: 'draft',
      sampleSize: 10,
    });
  });
});
