/** An error the API reports to its caller: a stable machine code, an HTTP status and a human message. */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** The one error envelope every failing response carries. */
export interface ErrorEnvelope {
  error: { code: string; message: string; details?: unknown };
  correlation_id: string;
}

/** Builds the error envelope for a code, message and correlation id. */
export function envelope(code: string, message: string, correlationId: string, details?: unknown): ErrorEnvelope {
  return { error: details === undefined ? { code, message } : { code, message, details }, correlation_id: correlationId };
}

export const notFound = (what: string, code = `${what}_not_found`) => new AppError(code, 404, `${what.replace(/_/g, ' ')} not found`);
