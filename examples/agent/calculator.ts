// A safe arithmetic evaluator: a recursive-descent parser over a fixed grammar, never `eval` or
// `Function`, so model-chosen input can only ever be arithmetic.

/** The longest expression the calculator accepts (characters). */
export const MAX_EXPRESSION_LENGTH = 200;
const MAX_DEPTH = 32;

/** Why an expression could not be evaluated; the message is shown to the model as the tool result. */
export class CalculatorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CalculatorError';
  }
}

type Token =
  | { readonly kind: 'number'; readonly value: number; readonly at: number }
  | { readonly kind: 'op'; readonly op: string; readonly at: number };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const number = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i));
    if (number !== null) {
      tokens.push({ kind: 'number', value: Number(number[0]), at: i });
      i += number[0].length;
      continue;
    }
    if (text.startsWith('**', i)) {
      tokens.push({ kind: 'op', op: '^', at: i });
      i += 2;
      continue;
    }
    if ('+-*/%^()'.includes(c)) {
      tokens.push({ kind: 'op', op: c, at: i });
      i++;
      continue;
    }
    throw new CalculatorError(
      `unexpected "${c}" at position ${i + 1}: use numbers, + - * / % ^ and parentheses`,
    );
  }
  return tokens;
}

/**
 * Evaluates an arithmetic expression: decimal numbers (with exponents), `+ - * / %`, `^` or `**`
 * (power, right-associative), unary signs and parentheses, with the usual precedence.
 *
 * Throws {@link CalculatorError} for anything else, for division by zero, for a non-finite result,
 * for nesting deeper than 32 levels and for input longer than {@link MAX_EXPRESSION_LENGTH}.
 */
export function evaluate(expression: string): number {
  if (expression.length > MAX_EXPRESSION_LENGTH)
    throw new CalculatorError(`the expression is longer than ${MAX_EXPRESSION_LENGTH} characters`);
  const tokens = tokenize(expression);
  if (tokens.length === 0) throw new CalculatorError('the expression is empty');
  let pos = 0;
  let depth = 0;
  const peek = (): Token | undefined => tokens[pos];
  const isOp = (op: string): boolean => {
    const t = peek();
    return t !== undefined && t.kind === 'op' && t.op === op;
  };
  const where = (): string => {
    const t = peek();
    return t === undefined ? 'at the end' : `at position ${t.at + 1}`;
  };

  // sum := product (('+' | '-') product)*
  const sum = (): number => {
    let value = product();
    while (isOp('+') || isOp('-')) {
      const op = (tokens[pos++] as { op: string }).op;
      const right = product();
      value = op === '+' ? value + right : value - right;
    }
    return value;
  };
  // product := unary (('*' | '/' | '%') unary)*
  const product = (): number => {
    let value = unary();
    while (isOp('*') || isOp('/') || isOp('%')) {
      const op = (tokens[pos++] as { op: string }).op;
      const right = unary();
      if ((op === '/' || op === '%') && right === 0) throw new CalculatorError('division by zero');
      value = op === '*' ? value * right : op === '/' ? value / right : value % right;
    }
    return value;
  };
  // unary := ('+' | '-') unary | power
  const unary = (): number => {
    if (isOp('-') || isOp('+')) {
      const op = (tokens[pos++] as { op: string }).op;
      const value = nested(unary);
      return op === '-' ? -value : value;
    }
    return power();
  };
  // power := atom ('^' unary)?   (right-associative; -2^2 is -(2^2), 2^-1 is 0.5)
  const power = (): number => {
    const base = atom();
    if (!isOp('^')) return base;
    pos++;
    return base ** nested(unary);
  };
  // atom := number | '(' sum ')'
  const atom = (): number => {
    const t = peek();
    if (t === undefined) throw new CalculatorError('the expression ends too early');
    if (t.kind === 'number') {
      pos++;
      return t.value;
    }
    if (t.op === '(') {
      pos++;
      const value = nested(sum);
      if (!isOp(')')) throw new CalculatorError(`missing ")" ${where()}`);
      pos++;
      return value;
    }
    throw new CalculatorError(`unexpected "${t.op}" at position ${t.at + 1}`);
  };
  const nested = (rule: () => number): number => {
    if (++depth > MAX_DEPTH)
      throw new CalculatorError(`the expression nests deeper than ${MAX_DEPTH} levels`);
    try {
      return rule();
    } finally {
      depth--;
    }
  };

  const value = sum();
  if (pos < tokens.length)
    throw new CalculatorError(`unexpected "${describe(tokens[pos])}" ${where()}`);
  if (!Number.isFinite(value)) throw new CalculatorError('the result is not a finite number');
  return value;
}

function describe(token: Token | undefined): string {
  if (token === undefined) return '';
  return token.kind === 'number' ? String(token.value) : token.op;
}

/** A result as the tool reports it: at most 12 significant digits, no trailing zeros, no `-0`. */
export function formatNumber(value: number): string {
  if (Object.is(value, -0) || value === 0) return '0';
  const rounded = Number(value.toPrecision(12));
  return String(rounded);
}
