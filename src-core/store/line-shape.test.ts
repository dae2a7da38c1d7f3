import { describe, expect, it } from 'vitest';
import { blockLine } from './block';
import { ENDS_JOINABLE, endsJoinable, lineShapeOf, STARTS_SLASH } from './line-shape';

/** The shape read off the rendered line itself, the way the packer's joins see it. */
function shapeOfLine(line: string): number {
  return (line.startsWith('/') ? STARTS_SLASH : 0) | (endsJoinable(line) ? ENDS_JOINABLE : 0);
}

describe('lineShapeOf', () => {
  it.each([
    ['plain words', 'hello there'],
    ['ends with punctuation', 'done.'],
    ['starts with a slash', '/help'],
    ['slash and punctuation', '  /run it now!  '],
    ['whitespace only (rendered as "(whitespace only)")', '  '],
    ['empty', ''],
    ['ends with an emoji', 'nice 👍'],
    ['ends with a letter outside ASCII', 'café'],
  ])('%s: the same shape as the rendered line', (_name, body) => {
    expect(lineShapeOf(body)).toBe(shapeOfLine(blockLine(body)));
  });
});
