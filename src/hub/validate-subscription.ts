import type { CallbackValidator } from './callback-validator';
import { BadRequestError } from '../errors';
import { compileQuery } from '../query/hub-query';

/** What a topic hub and a POST /hub registration both need before they are stored: a valid query and an allowed callback. */
export async function validateSubscription(input: Record<string, unknown>, callbacks: CallbackValidator): Promise<void> {
  compileQuery(input.query as string | undefined);
  const refused = await callbacks.creationRefusal(String(input.callback));
  if (refused) throw new BadRequestError(`callback: ${refused}`, 'Callback refused');
}
