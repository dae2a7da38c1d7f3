import { describe, expect, it } from 'vitest';
import { CalculatorError, evaluate, formatNumber, MAX_EXPRESSION_LENGTH } from './calculator';
import { runTool } from './tools';

describe('calculator', () => {
  it('follows the usual precedence and associativity', () => {
    expect(evaluate('12*7')).toBe(84);
    expect(evaluate('2 + 3 * 4')).toBe(14);
    expect(evaluate('(2 + 3) * 4')).toBe(20);
    expect(evaluate('10 - 4 - 3')).toBe(3);
    expect(evaluate('100 / 10 / 5')).toBe(2);
    expect(evaluate('2 ^ 3 ^ 2')).toBe(512);
    expect(evaluate('2 ** 10')).toBe(1024);
    expect(evaluate('17 % 5')).toBe(2);
  });

  it('handles signs, decimals and exponents', () => {
    expect(evaluate('-3 + +5')).toBe(2);
    expect(evaluate('-2 ^ 2')).toBe(-4);
    expect(evaluate('2 ^ -1')).toBe(0.5);
    expect(evaluate('.5 + 1.25')).toBe(1.75);
    expect(evaluate('1e3 / 4')).toBe(250);
    expect(evaluate('--4')).toBe(4);
  });

  it('rejects anything that is not arithmetic, so model input can never run code', () => {
    for (const bad of [
      'process.exit(1)',
      'Math.max(1,2)',
      '1; 2',
      'a + 1',
      '`1`',
      '[1]',
      '1 = 1',
    ]) {
      expect(() => evaluate(bad), bad).toThrow(CalculatorError);
    }
  });

  it('rejects malformed expressions with a message naming the problem', () => {
    expect(() => evaluate('')).toThrow(/empty/);
    expect(() => evaluate('(1 + 2')).toThrow(/missing "\)"/);
    expect(() => evaluate('1 +')).toThrow(/ends too early/);
    expect(() => evaluate('1 2')).toThrow(/unexpected "2"/);
    expect(() => evaluate('4 / (2 - 2)')).toThrow(/division by zero/);
    expect(() => evaluate('5 % 0')).toThrow(/division by zero/);
    expect(() => evaluate('10 ^ 400')).toThrow(/finite/);
  });

  it('bounds input length and nesting depth', () => {
    expect(() => evaluate('1+'.repeat(MAX_EXPRESSION_LENGTH) + '1')).toThrow(/longer than/);
    expect(() => evaluate('('.repeat(40) + '1' + ')'.repeat(40))).toThrow(/nests deeper/);
    expect(() => evaluate('-'.repeat(40) + '1')).toThrow(/nests deeper/);
  });

  it('formats results to 12 significant digits', () => {
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatNumber(1 / 3)).toBe('0.333333333333');
    expect(formatNumber(-0)).toBe('0');
    expect(formatNumber(84)).toBe('84');
  });
});

describe('tools', () => {
  it('answer every call, turning bad input into an error result instead of throwing', () => {
    expect(runTool({ id: 'c1', name: 'calculator', arguments: '{"expression":"6*7"}' })).toBe(
      '6*7 = 42',
    );
    expect(runTool({ id: 'c2', name: 'calculator', arguments: '{"expression":"6/0"}' })).toMatch(
      /^error: .*division by zero/,
    );
    expect(runTool({ id: 'c3', name: 'calculator', arguments: 'not json' })).toMatch(
      /^error: calculator needs/,
    );
    expect(runTool({ id: 'c4', name: 'lookup_profile', arguments: '{"user":"Bo"}' })).toBe(
      'Profile bo: Bo Chen, plan Free, lives in Toronto, customer since 2023-11-20.',
    );
    expect(
      runTool({ id: 'c5', name: 'lookup_profile', arguments: '{"user":"Ada Lovelace"}' }),
    ).toMatch(/^Profile ada:/);
    expect(runTool({ id: 'c6', name: 'lookup_profile', arguments: '{"user":"zed"}' })).toMatch(
      /^error: no profile for "zed"/,
    );
    expect(runTool({ id: 'c7', name: 'shell', arguments: '{}' })).toMatch(
      /^error: unknown tool "shell"/,
    );
  });
});
