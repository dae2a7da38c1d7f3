import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { BetweenView } from '../../src-main/api/contract';
import { WrittenBetween } from './written-between';

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);
const C = 'c'.repeat(32);
const turn = (callId: string, seq: number) => ({
  callId,
  session: 'chat',
  task: 'ferry',
  createdAt: Date.UTC(2026, 0, 1),
  seq,
  watermarkId: null,
});

function view(over: Partial<BetweenView> = {}): BetweenView {
  return {
    from: turn(A, 10),
    to: turn(B, 20),
    reversed: false,
    fromSeq: 10,
    toSeq: 20,
    added: [
      {
        id: C,
        kind: 'fact',
        section: 'retrieved',
        preview: 'The ferry leaves at nine.',
        session: 'chat',
        seq: 12,
        existedBefore: true,
      },
    ],
    removed: [],
    deleted: [{ id: 'd'.repeat(32), seq: 14 }],
    edges: [
      {
        from: { id: C, kind: 'fact', section: 'retrieved', preview: 'The ferry leaves at nine.' },
        kind: 'supports',
        to: { id: 'e'.repeat(32), kind: null, section: null, preview: null },
        seq: 13,
      },
    ],
    calls: [{ callId: A, session: 'chat', seq: 11, task: 'ferry' }],
    totals: { added: 1, removed: 0, deleted: 1, edges: 1, calls: 1 },
    truncated: false,
    ...over,
  };
}

const render = (data: BetweenView) =>
  renderToStaticMarkup(
    <WrittenBetween data={data} onOpen={() => undefined} onMore={() => undefined} />,
  );

describe('WrittenBetween', () => {
  it('sums up the writes between the two turns by kind', () => {
    const html = render(view());
    expect(html).toContain(
      'writes 11 to 20 (10 writes) · 1 block added to sessions · 1 edge · 1 call recorded · 1 deleted',
    );
  });

  it('says a fact deduplicated into a session was already in the store, and a block deleted since is gone', () => {
    const html = render(view());
    expect(html).toContain('already in the store: joined chat');
    expect(html).toContain('(since deleted)');
    expect(html).toContain('the earlier turn&#x27;s own record');
  });

  it('says how many of each kind are not listed and offers more', () => {
    const many = Array.from({ length: 60 }, (_, i) => ({
      id: i.toString(16).padStart(32, '0'),
      kind: 'user-message' as const,
      section: 'recent' as const,
      preview: `message ${i}`,
      session: 'chat',
      seq: 100 + i,
      existedBefore: false,
    }));
    const html = render(
      view({ added: many, totals: { added: 9000, removed: 0, deleted: 1, edges: 1, calls: 1 } }),
    );
    expect(html).toContain('9,000, first 60 listed');
    expect(html).toContain('List more');
    // Thousands of added blocks go after the edges and calls.
    expect(html.indexOf('Edges added')).toBeLessThan(html.indexOf('Added to chat'));
  });

  it('says so when nothing was written', () => {
    const html = render(
      view({
        added: [],
        deleted: [],
        edges: [],
        calls: [],
        totals: { added: 0, removed: 0, deleted: 0, edges: 0, calls: 0 },
        toSeq: 10,
      }),
    );
    expect(html).toContain('Nothing was written between these two points.');
  });
});
