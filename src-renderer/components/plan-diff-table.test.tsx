import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { PlanDiffView } from '../../src-main/api/contract';
import { PlanDiffTable } from './plan-diff-table';

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);
const C = 'c'.repeat(32);

const diff: PlanDiffView = {
  summary: '+1 -2 ~0 (-5 tokens)',
  added: [
    { id: B, kind: 'fact', section: 'retrieved', tokens: 12, reason: 'relevance', score: 0.9 },
  ],
  removed: [
    {
      id: A,
      kind: 'fact',
      section: 'retrieved',
      tokens: 10,
      cause: 'displaced',
      displacedBy: B,
      omitReason: 'section-budget',
      scoreBefore: 0.5,
      scoreAfter: 0.4,
      detail: `displaced by ${B} in retrieved`,
    },
    {
      id: C,
      kind: 'user-message',
      section: 'recent',
      tokens: 7,
      cause: 'block-deleted',
      displacedBy: null,
      omitReason: null,
      scoreBefore: 1,
      scoreAfter: null,
      detail: 'the block no longer exists',
    },
  ],
  changed: [],
  tokenDelta: -5,
  budget: { before: 100, after: 100 },
  sections: [],
  retrievers: [],
};

describe('PlanDiffTable', () => {
  const html = renderToStaticMarkup(
    <PlanDiffTable
      diff={diff}
      blocks={{
        [A]: { preview: 'Old fact', exists: true },
        [B]: { preview: 'New fact', exists: true },
        [C]: { preview: null, exists: false },
      }}
      session="s1"
      approximate={false}
    />,
  );

  it('gives each removal its cause and links the block that displaced it', () => {
    expect(html).toContain(
      '<strong class="cause">displaced</strong>: another block took its place',
    );
    expect(html).toContain(
      `— displaced by <a href="#/blocks?block=${B}&amp;session=s1" title="${B}">New fact</a>`,
    );
    expect(html).toContain('<strong class="cause">block-deleted</strong>');
  });

  it('marks a deleted block instead of linking it, and signs token changes', () => {
    expect(html).toContain('(deleted)');
    expect(html).not.toContain(`block=${C}`);
    expect(html).toContain('>−10<');
    expect(html).toContain('>+12<');
  });

  it('orders rows by section in rendering order', () => {
    expect(html.indexOf('Old fact')).toBeLessThan(html.indexOf('(deleted)'));
  });
});
