import { describe, expect, it } from 'vitest';
import { prettyJson } from './pretty-json';

describe('prettyJson', () => {
  it('indents a one-line request by two spaces, one member a line', () => {
    const sent = '{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}';
    const { text, json } = prettyJson(sent);
    expect(json).toBe(true);
    expect(text).toBe(
      [
        '{',
        '  "model": "gpt-4o",',
        '  "messages": [',
        '    {',
        '      "role": "user",',
        '      "content": "hi"',
        '    }',
        '  ]',
        '}',
      ].join('\n'),
    );
  });

  it('keeps the same JSON: parsing the pretty text gives the request back', () => {
    const sent = '{"a":"line\\nbreak \\u00e9","n":[1,2.5,null,true]}';
    expect(JSON.parse(prettyJson(sent).text)).toEqual(JSON.parse(sent));
  });

  it('leaves text that is not JSON as it is', () => {
    expect(prettyJson('not { json')).toEqual({ text: 'not { json', json: false });
  });
});
