// The agent's two tools: a calculator and a user-profile lookup over a small fixed table. Tools run
// between two model calls; their results reach the store only through the chat-turn reducer.
import type { ToolCall } from '../../src-core/index';
import { CalculatorError, evaluate, formatNumber } from './calculator';

/** A tool as offered to the model: name, description and a JSON Schema of its arguments. */
export interface ToolSpec {
  readonly name: string;
  readonly description: string;
  readonly parameters: {
    readonly type: 'object';
    readonly properties: Readonly<
      Record<string, { readonly type: 'string'; readonly description: string }>
    >;
    readonly required: readonly string[];
    readonly additionalProperties: false;
  };
}

/** One row of the profile table. */
export interface UserProfile {
  readonly id: string;
  readonly name: string;
  readonly plan: 'Free' | 'Pro' | 'Team';
  readonly city: string;
  readonly customerSince: string;
}

/** The fixed profile table the lookup tool reads. */
export const USER_PROFILES: readonly UserProfile[] = [
  { id: 'ada', name: 'Ada Lovelace', plan: 'Pro', city: 'London', customerSince: '2021-03-04' },
  { id: 'bo', name: 'Bo Chen', plan: 'Free', city: 'Toronto', customerSince: '2023-11-20' },
  { id: 'cy', name: 'Cy Okafor', plan: 'Team', city: 'Lagos', customerSince: '2022-07-01' },
  { id: 'dee', name: 'Dee Ramos', plan: 'Pro', city: 'Lisbon', customerSince: '2020-01-15' },
];

/** The calculator tool's name. */
export const CALCULATOR = 'calculator';
/** The profile lookup tool's name. */
export const LOOKUP_PROFILE = 'lookup_profile';

/** The tools offered on every call. */
export const TOOLS: readonly ToolSpec[] = [
  {
    name: CALCULATOR,
    description: 'Evaluate an arithmetic expression exactly. Supports + - * / % ^ and parentheses.',
    parameters: {
      type: 'object',
      properties: {
        expression: { type: 'string', description: 'The expression, e.g. "(3 + 4) * 12"' },
      },
      required: ['expression'],
      additionalProperties: false,
    },
  },
  {
    name: LOOKUP_PROFILE,
    description:
      'Look up a customer profile (name, plan, city, customer since) by user id or name.',
    parameters: {
      type: 'object',
      properties: {
        user: {
          type: 'string',
          description: 'A user id such as "ada", or a name such as "Ada Lovelace"',
        },
      },
      required: ['user'],
      additionalProperties: false,
    },
  },
];

/** Finds a profile by id, full name or first name (case-insensitive). */
export function findUserProfile(query: string): UserProfile | undefined {
  const q = query.trim().toLowerCase();
  return USER_PROFILES.find(
    (p) => p.id === q || p.name.toLowerCase() === q || p.name.split(' ')[0]?.toLowerCase() === q,
  );
}

/** A profile as the lookup tool reports it. */
export function profileLine(p: UserProfile): string {
  return `Profile ${p.id}: ${p.name}, plan ${p.plan}, lives in ${p.city}, customer since ${p.customerSince}.`;
}

function argument(call: ToolCall, name: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(call.arguments);
  } catch {
    return undefined;
  }
  const value =
    typeof parsed === 'object' && parsed !== null
      ? (parsed as Record<string, unknown>)[name]
      : undefined;
  return typeof value === 'string' ? value : undefined;
}

/**
 * Runs one tool call and returns the text of its result. Never throws: a bad call (unknown tool,
 * malformed arguments, an expression that does not evaluate) becomes an `error: ...` result the
 * model can read and recover from, because a tool call must always be answered.
 */
export function runTool(call: ToolCall): string {
  if (call.name === CALCULATOR) {
    const expression = argument(call, 'expression');
    if (expression === undefined) return 'error: calculator needs {"expression": "..."}';
    try {
      return `${expression.trim()} = ${formatNumber(evaluate(expression))}`;
    } catch (error) {
      if (error instanceof CalculatorError)
        return `error: cannot evaluate ${expression.trim()}: ${error.message}`;
      throw error;
    }
  }
  if (call.name === LOOKUP_PROFILE) {
    const user = argument(call, 'user');
    if (user === undefined) return 'error: lookup_profile needs {"user": "..."}';
    const profile = findUserProfile(user);
    return profile === undefined
      ? `error: no profile for "${user.trim()}"; known users: ${USER_PROFILES.map((p) => p.id).join(', ')}`
      : profileLine(profile);
  }
  return `error: unknown tool "${call.name}"; use ${TOOLS.map((t) => t.name).join(' or ')}`;
}
