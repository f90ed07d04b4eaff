/** The unique attribute of a resource store is already taken in that scope. */
export class DuplicateKeyError extends Error {
  constructor(readonly attribute: string, readonly value: unknown) {
    super(`${attribute} ${JSON.stringify(value)} already exists`);
    this.name = 'DuplicateKeyError';
  }
}

/** The backing store cannot be reached; the HTTP layer answers 503. The cause stays server-side. */
export class StoreUnavailableError extends Error {
  constructor(cause?: unknown) {
    super('The store cannot be reached', { cause });
    this.name = 'StoreUnavailableError';
  }
}

/**
 * The database refused to store a document because of its shape (a field name it cannot hold, a
 * size over its limit): the client's fault, so the HTTP layer answers 400. `message` is written by
 * the hub, never copied from the driver, so it is safe to show; `path` is the offending attribute
 * of the resource, when the refusal names one.
 */
export class DocumentRefusedError extends Error {
  constructor(
    message: string,
    readonly path?: string,
    cause?: unknown,
  ) {
    super(message, { cause });
    this.name = 'DocumentRefusedError';
  }
}
