import { describe, expect, it } from 'vitest';
import { turnLink } from '../src-core/index';
import { parseTurnLink, turnLinkIn, turnPageUrl } from './deep-link';

const CALL = '0123456789abcdef0123456789abcdef';

describe('llm386:// turn links', () => {
  it('read back what spans carry', () => {
    const link = turnLink('/data/my store', 'chat-1', CALL);
    expect(parseTurnLink(link)).toEqual({ store: '/data/my store', session: 'chat-1', call: CALL });
  });

  it('ignore other schemes, hosts, relative paths, bad sessions and call ids', () => {
    expect(parseTurnLink(`https://turn?store=/s&session=a&call=${CALL}`)).toBeUndefined();
    expect(parseTurnLink(`llm386://open?store=/s&session=a&call=${CALL}`)).toBeUndefined();
    expect(parseTurnLink(`llm386://turn?store=relative/s&session=a&call=${CALL}`)).toBeUndefined();
    expect(
      parseTurnLink(`llm386://turn?store=/s&session=${encodeURIComponent('a b\n')}&call=${CALL}`),
    ).toBeUndefined();
    expect(parseTurnLink('llm386://turn?store=/s&session=a&call=nope')).toBeUndefined();
    expect(parseTurnLink('not a url')).toBeUndefined();
  });

  it('are found among process arguments, and open the Turn route of the app page', () => {
    const link = turnLink('/s', 'chat', CALL);
    expect(turnLinkIn(['/usr/bin/electron', '.', '--flag', link])).toEqual({
      store: '/s',
      session: 'chat',
      call: CALL,
    });
    expect(turnLinkIn(['/usr/bin/electron', '.'])).toBeUndefined();
    expect(
      turnPageUrl('file:///app/out/renderer/index.html?store=x#/blocks', {
        store: '/s',
        session: 'chat',
        call: CALL,
      }),
    ).toBe(`file:///app/out/renderer/index.html#/turn?call=${CALL}&session=chat`);
  });
});
