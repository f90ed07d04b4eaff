/**
 * Typed domain errors. Services throw these; the HTTP layer maps them to the TMF Error body
 * in one place (src/http/error-middleware.ts). Every message here is safe to show a client.
 */
export class TmfError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly reason: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class BadRequestError extends TmfError {
  constructor(message: string, reason = 'Invalid request') {
    super(400, 'BadRequest', reason, message);
  }
}

export class NotFoundError extends TmfError {
  constructor(message: string) {
    super(404, 'NotFound', 'Resource not found', message);
  }
}

export class ConflictError extends TmfError {
  constructor(message: string) {
    super(409, 'Conflict', 'Conflict with an existing resource', message);
  }
}

/** A principal without the permission, or past its hubs quota; the message names what it lacks. */
export class ForbiddenError extends TmfError {
  constructor(message: string, reason = 'Forbidden') {
    super(403, 'Forbidden', reason, message);
  }
}

/** A principal past its publish rate: Retry-After says when it may publish again. */
export class TooManyRequestsError extends TmfError {
  constructor(message: string, retryAfterSeconds: number) {
    super(429, 'TooManyRequests', 'Too many requests', message, { 'Retry-After': String(retryAfterSeconds) });
  }
}
