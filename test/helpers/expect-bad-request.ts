import { BadRequestError } from '../../src/errors';

/** Runs `run`, expects a BadRequestError (400, code BadRequest, a message) and returns it. */
export function expectBadRequest(run: () => unknown): BadRequestError {
  let caught: unknown;
  try {
    run();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(BadRequestError);
  const error = caught as BadRequestError;
  expect(error.status).toBe(400);
  expect(error.code).toBe('BadRequest');
  expect(error.message.length).toBeGreaterThan(0);
  return error;
}
