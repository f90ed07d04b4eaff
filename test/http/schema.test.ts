import { API, type TestApp } from '../helpers/test-app';
import { definitionsOf, notificationNames, OFFICIAL_V4_FILES, readSpec, useSpecSizedHub, V5_YAML_FILE } from '../helpers/tmf-specs';

const S = `${API}/schema`;

const ORDER_V1 = {
  type: 'object',
  required: ['eventType', 'event'],
  properties: {
    eventType: { type: 'string' },
    event: { type: 'object', properties: { order: { type: 'object', properties: { id: { type: 'string' }, state: { enum: ['open', 'done'] } } } } },
  },
};
/** V1 plus an optional attribute: compatible. */
const ORDER_V2 = structuredClone(ORDER_V1);
(ORDER_V2.properties.event.properties.order.properties as Record<string, unknown>).note = { type: 'string' };
/** V2 with the state enum narrowed and the id made an integer: two breaking changes. */
const ORDER_V3 = structuredClone(ORDER_V2);
ORDER_V3.properties.event.properties.order.properties.state = { enum: ['open'] };
ORDER_V3.properties.event.properties.order.properties.id = { type: 'integer' };

describe('schema registry operations', () => {
  const app = useSpecSizedHub();
  let hub: TestApp;
  beforeEach(() => {
    hub = app();
  });

  describe('registerSchema, retrieveSchema, listSchemaVersion, listSchemaType, deleteSchemaType', () => {
    it('should register version 1 with 201 and Location, and read it back by number and as latest', async () => {
      const res = await hub.client.post(`${S}/OrderEvent`, ORDER_V1);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ eventType: 'OrderEvent', version: 1, id: '1', '@type': 'EventSchema', schema: ORDER_V1, href: `http://hub.test${S}/OrderEvent/1` });
      expect(res.body.fingerprint).toMatch(/^[0-9a-f]{64}$/);
      expect((await hub.client.get(`${S}/OrderEvent/1`)).body).toEqual(res.body);
      expect((await hub.client.get(`${S}/OrderEvent/latest`)).body).toEqual(res.body);
      // fields= keeps what the EventSchema schema requires (eventType, createdAt) besides id, href and @type.
      expect((await hub.client.get(`${S}/OrderEvent/1?fields=version`)).body).toEqual({
        id: '1', href: res.body.href, '@type': 'EventSchema', version: 1, eventType: 'OrderEvent', createdAt: res.body.createdAt,
      });
    });

    it('should answer 200 with the latest version when the same schema (in any key order) is registered again', async () => {
      const first = await hub.client.post(`${S}/OrderEvent`, ORDER_V1);
      const reordered = { properties: ORDER_V1.properties, required: ORDER_V1.required, type: 'object' };
      const again = await hub.client.post(`${S}/OrderEvent`, reordered);
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      expect((await hub.client.get(`${S}/OrderEvent`)).body).toHaveLength(1);
    });

    it('should add a compatible version, list the versions oldest first and the types with their latest version', async () => {
      await hub.client.post(`${S}/OrderEvent`, ORDER_V1);
      expect((await hub.client.post(`${S}/OrderEvent`, ORDER_V2)).body.version).toBe(2);
      await hub.client.post(`${S}/AlarmEvent`, { type: 'object' });
      const versions = await hub.client.get(`${S}/OrderEvent`);
      expect(versions.body.map((v: { version: number }) => v.version)).toEqual([1, 2]);
      expect(versions.headers['x-total-count']).toBe('2');
      expect((await hub.client.get(`${S}/OrderEvent/latest`)).body.schema).toEqual(ORDER_V2);
      const types = await hub.client.get(S);
      expect(types.body).toEqual([
        expect.objectContaining({ id: 'OrderEvent', eventType: 'OrderEvent', latestVersion: 2, href: `http://hub.test${S}/OrderEvent`, '@type': 'EventSchemaType' }),
        expect.objectContaining({ id: 'AlarmEvent', latestVersion: 1 }),
      ]);
      expect((await hub.client.get(`${S}?eventType=AlarmEvent`)).body.map((t: { id: string }) => t.id)).toEqual(['AlarmEvent']);
      expect((await hub.client.get(`${S}/OrderEvent?version.gte=2&fields=version`)).body).toEqual([expect.objectContaining({ version: 2 })]);
    });

    it('should refuse an incompatible version with 409 naming each breaking change by path, and store nothing', async () => {
      await hub.client.post(`${S}/OrderEvent`, ORDER_V1);
      await hub.client.post(`${S}/OrderEvent`, ORDER_V2);
      const res = await hub.client.post(`${S}/OrderEvent`, ORDER_V3);
      expect(res.status).toBe(409);
      expect(res.body.message).toContain('OrderEvent version 2');
      expect(res.body.message).toContain('$.event.order.id: type narrowed from string to integer');
      expect(res.body.message).toContain('$.event.order.state: enum narrowed: "done" no longer allowed');
      expect((await hub.client.get(`${S}/OrderEvent/latest`)).body.version).toBe(2);
    });

    it('should register an incompatible version with ?compatibility=none', async () => {
      await hub.client.post(`${S}/OrderEvent`, ORDER_V2);
      const res = await hub.client.post(`${S}/OrderEvent?compatibility=none`, ORDER_V3);
      expect(res.status).toBe(201);
      expect(res.body.version).toBe(2);
    });

    it.each([
      ['a schema ajv cannot compile', { type: 'nonsense' }, 'The schema cannot be compiled'],
      ['a $ref outside the schema', { $ref: 'https://example.com/other.json' }, 'The schema cannot be compiled'],
      ['a body that is not an object', ['type', 'object'], 'body'],
    ])('should answer 400 for %s, and store nothing', async (_what, body, message) => {
      const res = await hub.client.post(`${S}/OrderEvent`, body);
      expect(res.status).toBe(400);
      expect(res.body.message).toContain(message);
      expect((await hub.client.get(`${S}/OrderEvent`)).status).toBe(404);
      expect((await hub.client.get(S)).body).toEqual([]);
    });

    it.each([
      ['an event type that is not a name', 'post', `${S}/${encodeURIComponent('no spaces')}`],
      ['a version that is not a number', 'get', `${S}/OrderEvent/v1`],
      ['an unknown compatibility', 'post', `${S}/OrderEvent?compatibility=forward`],
      ['a filter on the computed latestVersion', 'get', `${S}?latestVersion=1`],
      ['a filter inside the schema', 'get', `${S}/OrderEvent?schema.type=object`],
    ])('should answer 400 for %s', async (_what, method, path) => {
      await hub.client.post(`${S}/OrderEvent`, ORDER_V1);
      const res = method === 'post' ? await hub.client.post(path, ORDER_V1) : await hub.client.get(path);
      expect(res.status).toBe(400);
    });

    it('should answer 404 for an unknown type or version, and delete a type with every version', async () => {
      expect((await hub.client.get(`${S}/OrderEvent`)).status).toBe(404);
      expect((await hub.client.get(`${S}/OrderEvent/latest`)).status).toBe(404);
      expect((await hub.client.delete(`${S}/OrderEvent`)).status).toBe(404);
      await hub.client.post(`${S}/OrderEvent`, ORDER_V1);
      await hub.client.post(`${S}/OrderEvent`, ORDER_V2);
      expect((await hub.client.get(`${S}/OrderEvent/3`)).status).toBe(404);
      expect((await hub.client.delete(`${S}/OrderEvent`)).status).toBe(204);
      expect((await hub.client.get(`${S}/OrderEvent/1`)).status).toBe(404);
      expect((await hub.client.get(S)).body).toEqual([]);
      // After a deletion the type starts again at version 1, with no compatibility to keep.
      expect((await hub.client.post(`${S}/OrderEvent`, ORDER_V3)).body.version).toBe(1);
    });
  });

  describe('importSchema', () => {
    it.each(OFFICIAL_V4_FILES)('should register every *Event definition of %s, and nothing new when imported again', async (file) => {
      const declared = Object.keys(definitionsOf(file)).filter((name) => name.endsWith('Event')).sort();
      // Every *Event definition of the official v4 files is a notification (event -> <Name>EventPayload).
      expect(notificationNames(file)).toEqual(declared);

      const first = await hub.client.post(`${S}/import`, readSpec(file), { 'Content-Type': 'application/json' });
      expect(first.status).toBe(200);
      expect(first.body.refused).toEqual([]);
      expect(first.body.unchanged).toEqual([]);
      expect(first.body.created.map((c: { eventType: string }) => c.eventType).sort()).toEqual(declared);
      expect(first.body.created.every((c: { version: number }) => c.version === 1)).toBe(true);
      const types = await hub.client.get(`${S}?limit=1000`);
      expect(types.body.map((t: { id: string }) => t.id).sort()).toEqual(declared);

      const second = await hub.client.post(`${S}/import`, readSpec(file), { 'Content-Type': 'application/json' });
      expect(second.body.created).toEqual([]);
      expect(second.body.unchanged.map((c: { eventType: string }) => c.eventType).sort()).toEqual(declared);
      for (const eventType of declared) expect((await hub.client.get(`${S}/${eventType}`)).body).toHaveLength(1);
    });

    it('should import an OpenAPI 3 document sent as YAML, leaving out the generic Event bases', async () => {
      const names = notificationNames(V5_YAML_FILE);
      expect(names.length).toBeGreaterThan(0);
      const res = await hub.client.post(`${S}/import`, readSpec(V5_YAML_FILE), { 'Content-Type': 'application/yaml' });
      expect(res.status).toBe(200);
      expect(res.body.source).toBe('Roles And Permissions 5.0.0');
      expect(res.body.created.map((c: { eventType: string }) => c.eventType).sort()).toEqual(names);
      expect((await hub.client.get(`${S}/Event`)).status).toBe(404);
      const one = (await hub.client.get(`${S}/${names[0]}/latest`)).body;
      expect(JSON.stringify(one.schema)).not.toContain('#/components/');
      expect(one.schema.$defs).toBeDefined();
    });

    it('should report an incompatible definition as refused and register the others', async () => {
      const file = 'TMF642-Alarm-v4.0.0.swagger.json';
      await hub.client.post(`${S}/AlarmCreateEvent`, { type: 'object', properties: { event: { type: 'object' }, extra: { type: 'string' } } });
      const res = await hub.client.post(`${S}/import`, readSpec(file), { 'Content-Type': 'application/json' });
      expect(res.body.refused).toEqual([{ eventType: 'AlarmCreateEvent', reason: expect.stringContaining('$.extra: declared attribute removed') }]);
      expect(res.body.created).toHaveLength(notificationNames(file).length - 1);
    });

    it.each([
      ['text that is neither JSON nor YAML', 'a: [b', 'application/yaml', 'neither valid JSON nor valid YAML'],
      ['a YAML document that is not an API document', 'a: 1\n', 'application/yaml', 'neither a Swagger 2.0 document'],
      // The contract itself asks a JSON document for definitions or components.schemas.
      ['a JSON document without definitions', '{"swagger":"2.0"}', 'application/json', 'definitions is required; openapi is required'],
      ['a YAML document without definitions', 'swagger: "2.0"', 'application/yaml', 'neither a Swagger 2.0 document'],
      ['no body', '', 'application/yaml', 'The body must be a Swagger 2.0 or OpenAPI 3 document'],
    ])('should answer 400 for %s', async (_what, body, type, message) => {
      const res = await hub.client.post(`${S}/import`, body, { 'Content-Type': type });
      expect(res.status).toBe(400);
      expect(res.body.message).toContain(message);
      expect((await hub.client.get(S)).body).toEqual([]);
    });

    it('should answer 415 for a body type the operation does not take', async () => {
      const res = await hub.client.post(`${S}/import`, 'x', { 'Content-Type': 'text/csv' });
      expect(res.status).toBe(415);
      expect(res.body.message).toContain('application/yaml');
    });
  });
});
