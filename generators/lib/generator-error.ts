/** Every code the generator raises on purpose; each has a row in docs/errors.md. */
export type GeneratorErrorCode =
  | 'GEN_ERR_USAGE'
  | 'GEN_ERR_ANSWERS_FILE'
  | 'GEN_ERR_MISSING_ANSWERS'
  | 'GEN_ERR_INVALID_NAME'
  | 'GEN_ERR_UNSAFE_ANSWER'
  | 'GEN_ERR_TARGET_NOT_EMPTY'
  | 'GEN_ERR_TARGET_UNSAFE'
  | 'GEN_ERR_RUNTIME_MISSING'
  | 'GEN_ERR_INSTALL_FAILED'
  | 'GEN_ERR_INTERRUPTED'
  | 'GEN_ERR_NOT_A_SERVICE'
  | 'GEN_ERR_CONFLICT';

/** Exit status by code: 2 for a usage mistake the caller can fix by changing the command line. */
const exitCodes: Record<GeneratorErrorCode, number> = {
  GEN_ERR_USAGE: 2,
  GEN_ERR_ANSWERS_FILE: 2,
  GEN_ERR_MISSING_ANSWERS: 2,
  GEN_ERR_INVALID_NAME: 2,
  GEN_ERR_UNSAFE_ANSWER: 2,
  GEN_ERR_TARGET_NOT_EMPTY: 2,
  GEN_ERR_TARGET_UNSAFE: 2,
  GEN_ERR_RUNTIME_MISSING: 1,
  GEN_ERR_INSTALL_FAILED: 1,
  GEN_ERR_INTERRUPTED: 130,
  GEN_ERR_NOT_A_SERVICE: 2,
  GEN_ERR_CONFLICT: 1,
};

/**
 * An error the generator raises on purpose: a stable `code`, a message that says what to do next,
 * and the exit status the command ends with.
 *
 * ```ts
 * throw new GeneratorError('GEN_ERR_USAGE', 'unknown flag --colour; see --help');
 * ```
 */
export class GeneratorError extends Error {
  readonly code: GeneratorErrorCode;
  readonly exitCode: number;

  constructor(code: GeneratorErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'GeneratorError';
    this.code = code;
    this.exitCode = exitCodes[code];
  }
}

/** True for a GeneratorError, also one that crossed a module copy (yeoman loads generators anew). */
export function isGeneratorError(error: unknown): error is GeneratorError {
  return (
    error instanceof Error &&
    typeof (error as Partial<GeneratorError>).code === 'string' &&
    (error as GeneratorError).code.startsWith('GEN_ERR_') &&
    typeof (error as Partial<GeneratorError>).exitCode === 'number'
  );
}
