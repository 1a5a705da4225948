import { EXIT_CODES, type ExitCode } from './constants.js';

/** Every failure im-bench reports on purpose carries one of these codes. */
export type ErrorCode =
  | 'IMB_ERR_INVALID_OPTION'
  | 'IMB_ERR_INVALID_SCENARIO'
  | 'IMB_ERR_INVALID_PROFILE'
  | 'IMB_ERR_INVALID_RESULT'
  | 'IMB_ERR_INCOMPARABLE'
  | 'IMB_ERR_UNMERGEABLE'
  | 'IMB_ERR_PREFLIGHT'
  | 'IMB_ERR_PORT_IN_USE'
  | 'IMB_ERR_LISTEN'
  | 'IMB_ERR_SERVER_START'
  | 'IMB_ERR_JOURNAL'
  | 'IMB_ERR_RUN_FAILED'
  | 'IMB_ERR_ABORTED';

const EXIT_BY_CODE: Record<ErrorCode, ExitCode> = {
  IMB_ERR_INVALID_OPTION: EXIT_CODES.usage,
  IMB_ERR_INVALID_SCENARIO: EXIT_CODES.usage,
  IMB_ERR_INVALID_PROFILE: EXIT_CODES.usage,
  IMB_ERR_INVALID_RESULT: EXIT_CODES.usage,
  IMB_ERR_INCOMPARABLE: EXIT_CODES.usage,
  IMB_ERR_UNMERGEABLE: EXIT_CODES.usage,
  IMB_ERR_PREFLIGHT: EXIT_CODES.usage,
  IMB_ERR_PORT_IN_USE: EXIT_CODES.runFailed,
  IMB_ERR_LISTEN: EXIT_CODES.runFailed,
  IMB_ERR_SERVER_START: EXIT_CODES.runFailed,
  IMB_ERR_JOURNAL: EXIT_CODES.runFailed,
  IMB_ERR_RUN_FAILED: EXIT_CODES.runFailed,
  IMB_ERR_ABORTED: EXIT_CODES.aborted,
};

export class ImBenchError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ImBenchError';
    this.code = code;
  }

  get exitCode(): ExitCode {
    return EXIT_BY_CODE[this.code];
  }
}

/** A flag or field with a value we cannot use: names both, says what would do, and what was likely meant if anything is near. */
export function invalidOption(flag: string, value: unknown, expected: string, meant?: string): ImBenchError {
  const suggestion = meant === undefined ? '' : `; did you mean ${meant}?`;
  return new ImBenchError(
    'IMB_ERR_INVALID_OPTION',
    `${flag}: expected ${expected}, got ${JSON.stringify(value)}${suggestion}`,
  );
}
