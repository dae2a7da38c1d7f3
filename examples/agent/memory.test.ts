import { describe, expect, it } from 'vitest';
import { factEnvelope, parseClaim, relateFacts, splitMemory } from './memory';

describe('splitMemory', () => {
  it('removes the memory fence from what the user sees', () => {
    const reply = `Nice to meet you, Ada!\n\n${factEnvelope(["The user's name is Ada."])}`;
    const split = splitMemory(reply);
    expect(split.visible).toBe('Nice to meet you, Ada!');
    expect(split.envelope).toContain('"events"');
    expect(split.envelope?.startsWith('```json')).toBe(true);
  });

  it('leaves other code fences and plain replies alone', () => {
    const reply = 'Here is JSON:\n```json\n{"a": 1}\n```';
    expect(splitMemory(reply)).toEqual({ visible: reply, envelope: undefined });
    expect(splitMemory('  hello  ')).toEqual({ visible: 'hello', envelope: undefined });
  });

  it('passes two envelopes on together so the reducer can reject them as ambiguous', () => {
    const reply = `a\n${factEnvelope(['x is 1.'])}\nb\n${factEnvelope(['y is 2.'])}`;
    const split = splitMemory(reply);
    expect(split.visible).toBe('a\nb');
    expect(split.envelope?.match(/```json/g)).toHaveLength(2);
  });
});

describe('parseClaim', () => {
  it('reads possessive and verb facts, lower-cased, without articles', () => {
    expect(parseClaim("The user's name is Ada Lovelace.")).toEqual({
      subject: 'user',
      attribute: 'name',
      value: 'ada lovelace',
    });
    expect(parseClaim('The user lives in London.')).toEqual({
      subject: 'user',
      attribute: 'lives in',
      value: 'london',
    });
    expect(parseClaim('The user works as a nurse.')).toEqual({
      subject: 'user',
      attribute: 'works as',
      value: 'nurse',
    });
    expect(parseClaim('Ada Lovelace lives in London.')).toEqual({
      subject: 'ada lovelace',
      attribute: 'lives in',
      value: 'london',
    });
    expect(parseClaim("The user's favorite color is green.")).toEqual({
      subject: 'user',
      attribute: 'favorite color',
      value: 'green',
    });
    expect(parseClaim('Support hours are 9-17 UTC.')).toBeUndefined();
  });
});

describe('relateFacts', () => {
  const name = { id: 'n', body: "The user's name is Ada Lovelace." };
  it('links a new fact that agrees with a known one by `supports`, resolving "the user" by name', () => {
    const edges = relateFacts(
      [{ id: 'new', body: 'The user lives in London.' }],
      [name, { id: 'crm', body: 'Ada Lovelace lives in London.' }],
    );
    expect(edges).toEqual([{ from: 'new', kind: 'supports', to: 'crm' }]);
  });

  it('links a new fact that disagrees with a known one by `contradicts`', () => {
    const edges = relateFacts(
      [{ id: 'new', body: 'The user lives in Paris.' }],
      [
        name,
        { id: 'old', body: 'The user lives in London.' },
        { id: 'crm', body: 'Ada Lovelace lives in London.' },
      ],
    );
    expect(edges).toEqual([
      { from: 'new', kind: 'contradicts', to: 'old' },
      { from: 'new', kind: 'contradicts', to: 'crm' },
    ]);
  });

  it('ignores facts about other subjects or attributes, and identical bodies (the store dedups those)', () => {
    const edges = relateFacts(
      [{ id: 'new', body: 'The user lives in London.' }],
      [
        { id: 'same', body: 'The user lives in London.' },
        { id: 'bo', body: 'Bo Chen lives in Toronto.' },
        { id: 'job', body: 'The user works as a nurse.' },
      ],
    );
    expect(edges).toEqual([]);
  });
});
