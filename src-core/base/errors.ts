/** Every expected failure of the runtime, as a closed union of codes. */
export type ErrorCode =
  | 'usage'
  | 'invalid-id'
  | 'invalid-kind'
  | 'invalid-edge-kind'
  | 'invalid-priority'
  | 'invalid-session'
  | 'invalid-input'
  | 'empty-body'
  | 'block-not-found'
  | 'trace-not-found'
  | 'bundle-invalid'
  | 'store-not-found'
  | 'not-a-store'
  | 'store-exists'
  | 'store-version-too-new'
  | 'store-corrupt'
  | 'config-invalid'
  | 'config-not-found'
  | 'unknown-model'
  | 'unknown-tokenizer'
  | 'budget-exceeded'
  | 'io-error';

/**
 * The one error class of `src-core`: a stable `code` for programs and a message for people.
 *
 * A message says what went wrong and what to do next. Wrapping errors keep the original as `cause`.
 */
export class Llm386Error extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options?: { cause?: unknown; details?: Record<string, unknown> },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'Llm386Error';
    this.code = code;
    this.details = options?.details;
  }
}

/** True when `error` is an {@link Llm386Error}, optionally with the given code. */
export function isLlm386Error(error: unknown, code?: ErrorCode): error is Llm386Error {
  return error instanceof Llm386Error && (code === undefined || error.code === code);
}

/** Throws a bug-indicating error when `condition` is false: for broken invariants, never user input. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`invariant violated: ${message}`);
}
