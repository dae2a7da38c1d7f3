import { describe, expect, it } from 'vitest';
import { formatHash, parseHash, withParams } from './route';

describe('hash routes', () => {
  it('round-trips a view with its selection', () => {
    const route = {
      view: 'blocks' as const,
      params: { session: 'agent-1', block: '0'.repeat(32), q: 'a b&c' },
    };
    expect(parseHash(formatHash(route))).toEqual(route);
  });

  it('falls back to the Store view for an empty or unknown hash', () => {
    expect(parseHash('')).toEqual({ view: 'store', params: {} });
    expect(parseHash('#/nowhere?x=1')).toEqual({ view: 'store', params: { x: '1' } });
  });

  it('drops empty parameters and orders the rest', () => {
    expect(formatHash({ view: 'page', params: { task: '', session: 's', budget: '500' } })).toBe(
      '#/page?budget=500&session=s',
    );
    expect(
      withParams({ view: 'page', params: { a: '1', b: '2' } }, { a: undefined, c: '3' }),
    ).toEqual({ view: 'page', params: { b: '2', c: '3' } });
  });
});
