import { describe, expect, it } from 'vitest';
import { storeAction, storeOfUrl, urlWithStore } from './store-param';

const A = 'a'.repeat(16);
const B = 'b'.repeat(16);

describe('the store in the URL', () => {
  it('reads and sets ?store= beside the hash route and any other query', () => {
    expect(storeOfUrl(`http://127.0.0.1:5000/?store=${A}#/turns?session=s`)).toBe(A);
    expect(storeOfUrl('http://127.0.0.1:5000/#/turns?store=x')).toBeUndefined();
    expect(urlWithStore('http://127.0.0.1:5000/?x=1#/turns?session=s', B)).toBe(
      `/?x=1&store=${B}#/turns?session=s`,
    );
    expect(
      urlWithStore(`file:///app/index.html?store=${A}#/store`, B, {
        view: 'turn',
        params: { call: 'c', session: 's' },
      }),
    ).toBe(`/app/index.html?store=${B}#/turn?call=c&session=s`);
  });
});

describe('storeAction', () => {
  it('names the server’s store in a URL that names none', () => {
    expect(storeAction(undefined, A, undefined)).toEqual({ kind: 'name', id: A });
  });

  it('opens the store a deep link names when the server shows another', () => {
    expect(storeAction(A, B, undefined)).toEqual({ kind: 'open', id: A });
    // The store menu or Back: the URL changed while the server stayed.
    expect(storeAction(A, B, B)).toEqual({ kind: 'open', id: A });
  });

  it('follows the server when it switched (a bundle opened, the File menu, another tab)', () => {
    expect(storeAction(A, B, A)).toEqual({ kind: 'follow', id: B });
  });

  it('does nothing when they agree or the server has not answered', () => {
    expect(storeAction(A, A, B)).toEqual({ kind: 'none' });
    expect(storeAction(A, undefined, undefined)).toEqual({ kind: 'none' });
  });
});
