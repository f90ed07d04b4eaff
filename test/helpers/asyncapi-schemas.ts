import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

export type MessagePart = 'payload' | 'headers';

/**
 * Validators for the payload or headers of a message of an AsyncAPI document, compiled from the
 * document itself (its $refs included), so a test checks against what the document says.
 */
export function messageSchemas(asyncapi: Record<string, any>): (message: string, part: MessagePart) => ValidateFunction {
  const ajv = new Ajv({ allErrors: true });
  addFormats(ajv);
  // Added whole so its own $refs resolve; the AsyncAPI fields around the schemas and x- extensions are not JSON Schema keywords.
  const extensions = new Set<string>();
  JSON.stringify(asyncapi, (key, value) => {
    if (key.startsWith('x-')) extensions.add(key);
    return value;
  });
  ajv.addVocabulary([...Object.keys(asyncapi), ...extensions]);
  ajv.addSchema(asyncapi, 'asyncapi.json');
  const cache = new Map<string, ValidateFunction>();
  return (message, part) => {
    const pointer = `asyncapi.json#/components/messages/${message}/${part}`;
    if (!(message in asyncapi.components.messages)) throw new Error(`the document has no message ${message}`);
    if (!cache.has(pointer)) cache.set(pointer, ajv.compile({ $ref: pointer }));
    return cache.get(pointer)!;
  };
}
