type Json = Record<string, any>;

/** A registered schema as the AsyncAPI document shows it: the latest version of its type. */
export interface PublishedSchema {
  eventType: string;
  version: number;
  schema: Record<string, unknown>;
}

const CHANNEL = 'topicHubCallback';
const OPERATION = 'sendEventNotification';

/**
 * The bundled AsyncAPI document plus one message per registered event type on the topic hub channel,
 * whose payload is that type's latest schema: the document then describes the events actually
 * flowing. Pure: returns a new document. The schema goes under components.schemas as it is stored,
 * with its own `#/$defs/...` references rewritten to point at its place in the document (in AsyncAPI
 * a `#` reference is resolved against the whole document) and `$schema` left out (the document says
 * which schema format applies).
 */
export function asyncApiWithSchemas(doc: Json, schemas: readonly PublishedSchema[]): Json {
  if (schemas.length === 0) return doc;
  const out = structuredClone(doc);
  const base = out.components.messages.EventNotification as Json;
  for (const { eventType, version, schema } of schemas) {
    const key = `EventSchema.${eventType.replace(/[^A-Za-z0-9._-]/g, '_')}`;
    const { $schema: _draft, ...rest } = schema;
    out.components.schemas[key] = rewriteRefs(rest, `#/components/schemas/${key}`);
    out.components.messages[key] = {
      name: eventType,
      title: `${eventType} (registered schema, version ${version})`,
      summary: `An event of type ${eventType} published to a topic, as its registered schema describes it (GET /schema/${eventType}/${version}).`,
      contentType: 'application/json',
      headers: base.headers,
      payload: { $ref: `#/components/schemas/${key}` },
    };
    out.channels[CHANNEL].messages[key] = { $ref: `#/components/messages/${key}` };
    out.operations[OPERATION].messages.push({ $ref: `#/channels/${CHANNEL}/messages/${key}` });
  }
  return out;
}

function rewriteRefs(node: unknown, at: string): any {
  if (Array.isArray(node)) return node.map((item) => rewriteRefs(item, at));
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [
      key,
      key === '$ref' && typeof value === 'string' && value.startsWith('#') ? `${at}${value.slice(1)}` : key === 'enum' || key === 'const' ? value : rewriteRefs(value, at),
    ]),
  );
}
