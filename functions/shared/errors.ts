/**
 * Named errors with context. One place (http.ts) maps them to HTTP answers, JSON or a page;
 * anything else is a 500 whose details stay in the logs.
 */
export interface ErrorDetail {
  readonly path: string;
  readonly message: string;
}

export abstract class AppError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  constructor(
    message: string,
    readonly details?: readonly ErrorDetail[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class BadRequestError extends AppError {
  readonly status = 400;
  readonly code = 'bad_request';
}

export class ValidationError extends AppError {
  readonly status = 422;
  readonly code = 'validation_failed';
}

export class UnauthorizedError extends AppError {
  readonly status = 401;
  readonly code = 'unauthorized';
}

export class ForbiddenError extends AppError {
  readonly status = 403;
  readonly code = 'forbidden';
  /** The roles that may do this, for a page that says which one is needed. */
  readonly needs: readonly string[];
  constructor(message: string, details?: readonly ErrorDetail[], options?: { cause?: unknown; needs?: readonly string[] }) {
    super(message, details, options);
    this.needs = options?.needs ?? [];
  }
}

export class NotFoundError extends AppError {
  readonly status = 404;
  readonly code = 'not_found';
}

export class ConflictError extends AppError {
  readonly status = 409;
  readonly code = 'conflict';
}

export class PayloadTooLargeError extends AppError {
  readonly status = 413;
  readonly code = 'payload_too_large';
}

export class UnsupportedMediaTypeError extends AppError {
  readonly status = 415;
  readonly code = 'unsupported_media_type';
}

/** Too many requests from one client; `retryAfterSeconds` goes out as the Retry-After header. */
export class TooManyRequestsError extends AppError {
  readonly status = 429;
  readonly code = 'too_many_requests';
  constructor(
    message: string,
    readonly retryAfterSeconds: number = 60,
  ) {
    super(message);
  }
}

/** A business rule refused the request (e.g. a CPN without an earlier CPW). */
export class RuleViolationError extends AppError {
  readonly status = 422;
  readonly code: string;
  constructor(rule: string, message: string, details?: readonly ErrorDetail[]) {
    super(message, details);
    this.code = rule;
  }
}

/** zod issues as details a person can act on: which field, and what is wrong with it. */
export function detailsFromZod(issues: readonly { path: readonly PropertyKey[]; message: string }[]): ErrorDetail[] {
  return issues.map((i) => ({ path: i.path.map(String).join('.') || '(body)', message: i.message }));
}
