import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { BadRequestError } from '../../src/errors';
import { parseApiDocument, resolveTmfEvents } from '../../src/hub/resolve-tmf-events';
import { OFFICIAL_V4_FILES, readSpec, V5_YAML_FILE } from '../helpers/tmf-specs';

const swagger = (definitions: Record<string, unknown>) => ({ swagger: '2.0', info: { title: 'Test', version: '1' }, definitions });
const ref = (name: string) => ({ $ref: `#/definitions/${name}` });

describe('resolveTmfEvents', () => {
  it('should make a recursive model self-contained with $defs, every $ref pointing inside the schema', () => {
    const { events } = resolveTmfEvents(
      swagger({
        NodeCreateEvent: { type: 'object', properties: { eventId: { type: 'string' }, event: ref('NodeCreateEventPayload') } },
        NodeCreateEventPayload: { type: 'object', properties: { node: ref('Node') } },
        Node: { type: 'object', properties: { name: { type: 'string' }, child: { type: 'array', items: ref('Node') } } },
        Unrelated: { type: 'string' },
      }),
    );
    expect(events.map((e) => e.eventType)).toEqual(['NodeCreateEvent']);
    const [{ schema }] = events;
    expect(Object.keys(schema.$defs as object)).toEqual(['Node', 'NodeCreateEventPayload']);
    expect(JSON.stringify(schema)).not.toContain('#/definitions/');
    const validate = new Ajv({ strict: true }).compile(schema);
    expect(validate({ event: { node: { name: 'a', child: [{ name: 'b', child: [] }] } } })).toBe(true);
    expect(validate({ event: { node: { name: 'a', child: [{ name: 3 }] } } })).toBe(false);
  });

  it('should drop what is not JSON Schema and convert draft-4 and OpenAPI forms', () => {
    const { events } = resolveTmfEvents(
      swagger({
        XCreateEvent: { type: 'object', 'x-vendor': 1, example: { a: 1 }, discriminator: 'kind', properties: { event: ref('XCreateEventPayload') } },
        XCreateEventPayload: {
          type: 'object',
          properties: {
            example: { type: 'string' }, // a property named like a keyword stays
            level: { type: 'integer', minimum: 1, exclusiveMinimum: true, maximum: 5 },
            note: { type: 'string', nullable: true },
            kind: { type: 'string', enum: ['a', 'b'], xml: { name: 'k' } },
          },
        },
      }),
    );
    const payload = (events[0].schema.$defs as Record<string, any>).XCreateEventPayload;
    expect(payload.properties).toEqual({
      example: { type: 'string' },
      level: { type: 'integer', exclusiveMinimum: 1, maximum: 5 },
      note: { type: ['string', 'null'] },
      kind: { type: 'string', enum: ['a', 'b'] },
    });
    expect(events[0].schema).not.toHaveProperty('x-vendor');
    expect(events[0].schema).not.toHaveProperty('discriminator');
  });

  it('should refuse a definition whose references the document does not define, and keep the others', () => {
    const result = resolveTmfEvents(
      swagger({
        ACreateEvent: { properties: { event: ref('ACreateEventPayload') } },
        ACreateEventPayload: { properties: { a: ref('Missing') } },
        BCreateEvent: { properties: { event: ref('BCreateEventPayload') } },
        BCreateEventPayload: { type: 'object' },
      }),
    );
    expect(result.events.map((e) => e.eventType)).toEqual(['BCreateEvent']);
    expect(result.refused).toEqual([{ eventType: 'ACreateEvent', reason: 'it refers to #/definitions/Missing, which the document does not define' }]);
  });

  it.each([...OFFICIAL_V4_FILES, V5_YAML_FILE])('should turn %s into schemas ajv compiles in strict mode (plus the base64 format)', (file) => {
    const { events, refused } = resolveTmfEvents(parseApiDocument(readSpec(file)));
    expect(refused).toEqual([]);
    expect(events.length).toBeGreaterThan(0);
    for (const { schema } of events) {
      const ajv = new Ajv({ strict: true });
      addFormats(ajv);
      ajv.addFormat('base64', /^[A-Za-z0-9+/=]*$/);
      expect(() => ajv.compile(schema)).not.toThrow();
    }
  });

  it.each([
    ['text that is neither JSON nor YAML', '{"a": ', 'neither valid JSON nor valid YAML'],
    ['a YAML scalar', 'just text', 'must be a JSON or YAML object'],
  ])('should refuse %s with a 400', (_what, text, message) => {
    expect(() => parseApiDocument(text)).toThrow(BadRequestError);
    expect(() => parseApiDocument(text)).toThrow(message);
  });
});
