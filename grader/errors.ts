/**
 * Typed errors. Commands throw these; only the CLI entry points turn them into
 * exit codes and messages, so library code never calls process.exit.
 */

export const ExitCode = {
  ok: 0,
  checksFailed: 1,
  badInput: 2,
} as const;

/** Base of every error a user may see. `message` must read as an instruction, never a stack. */
export class KubelabError extends Error {
  readonly exitCode: number = ExitCode.badInput;
  constructor(message: string, readonly hint?: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Wrong arguments or options on the command line. */
export class UsageError extends KubelabError {}

/** A file the user gave us is unreadable or malformed. Names the file and line. */
export class InputError extends KubelabError {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly problem: string,
    hint?: string,
  ) {
    super(`${file}${line !== undefined ? `:${line}` : ''}: ${problem}`, hint);
  }
}

/** A lab definition (lab.yaml, its checks, its folders) is broken: the lab author's problem. */
export class LabDefinitionError extends InputError {}

/**
 * An error as the Kubernetes apiserver (or kubectl) would report it. `reason` follows
 * metav1.StatusReason (Invalid, NotFound, AlreadyExists, Forbidden, BadRequest, Conflict).
 */
export class ApiError extends KubelabError {
  constructor(
    readonly reason: ApiErrorReason,
    message: string,
    readonly code: number,
    readonly causes: { field: string; message: string }[] = [],
  ) {
    super(message);
  }
}

export const ApiErrorReason = {
  Invalid: 'Invalid',
  NotFound: 'NotFound',
  AlreadyExists: 'AlreadyExists',
  Forbidden: 'Forbidden',
  BadRequest: 'BadRequest',
  Conflict: 'Conflict',
  NoKindMatch: 'NoKindMatch',
} as const;
export type ApiErrorReason = (typeof ApiErrorReason)[keyof typeof ApiErrorReason];

/** Formats any thrown value for a terminal: typed errors as their message and hint, others briefly. */
export function formatError(err: unknown): string {
  if (err instanceof KubelabError) {
    return err.hint ? `error: ${err.message}\n  hint: ${err.hint}` : `error: ${err.message}`;
  }
  if (err instanceof Error) return `internal error: ${err.message}`;
  return `internal error: ${String(err)}`;
}
