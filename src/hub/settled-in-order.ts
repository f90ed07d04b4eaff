/**
 * Promise.all, except that it waits for every promise and then throws the failure of the first one
 * in the order given, not the first to fail in time. Independent store calls run together this way
 * (one round trip on MongoDB) and still refuse in a fixed order (the topic's 404 before anything a
 * read of its hubs met), and no failure is left unhandled behind the one thrown.
 */
export async function settledInOrder<T extends readonly unknown[] | []>(values: T): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const settled = await Promise.allSettled(values);
  for (const outcome of settled) if (outcome.status === 'rejected') throw outcome.reason;
  return settled.map((outcome) => (outcome as PromiseFulfilledResult<unknown>).value) as { -readonly [K in keyof T]: Awaited<T[K]> };
}
