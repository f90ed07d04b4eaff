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
