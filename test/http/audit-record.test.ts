import { createLogger } from '../../src/logger';
import { StoreUnavailableError } from '../../src/store/store-errors';
import { API, buildTestApp, type TestApp } from '../helpers/test-app';
import { createTestStores } from '../helpers/test-stores';

type AuditRecord = { id: string; href: string; at: string; principal: string; operation: string; resource: string; status: number };

/** GET /auditRecord and /auditRecord/{id} through the app, checked against the contract. */
describe('the audit trail API', () => {
  let hub: TestApp;
  beforeEach(async () => {
    hub = await buildTestApp();
  });
  afterEach(async () => {
    await hub.stop();
  });

  const records = async (query = ''): Promise<AuditRecord[]> => {
    const res = await hub.client.get(`${API}/auditRecord${query}`);
    expect(res.status).toBe(200);
    return res.body;
  };

  /** A topic created and deleted, another created: three records, and reads and a publish that make none. */
  async function someChanges(): Promise<{ kept: string; deleted: string }> {
    const deleted = (await hub.client.post(`${API}/topic`, { name: 'gone' })).body.id;
    expect((await hub.client.delete(`${API}/topic/${deleted}`)).status).toBe(204);
    const kept = (await hub.client.post(`${API}/topic`, { name: 'kept' })).body.id;
    await hub.client.get(`${API}/topic`);
    await hub.client.post(`${API}/topic/${kept}/event`, { eventType: 'X' });
    expect((await hub.client.delete(`${API}/topic/unknown`)).status).toBe(404);
    return { kept, deleted };
  }

  it('should list the successful state changes newest first, with hrefs and the count headers', async () => {
    const { kept, deleted } = await someChanges();
    const res = await hub.client.get(`${API}/auditRecord`);
    expect(res.headers['x-total-count']).toBe('3');
    expect(res.headers['x-result-count']).toBe('3');
    expect(res.body.map((r: AuditRecord) => [r.operation, r.resource, r.status, r.principal])).toEqual([
      ['createTopic', `http://hub.test${API}/topic/${kept}`, 201, 'anonymous'],
      ['deleteTopic', `${API}/topic/${deleted}`, 204, 'anonymous'],
      ['createTopic', `http://hub.test${API}/topic/${deleted}`, 201, 'anonymous'],
    ]);
    for (const record of res.body as AuditRecord[]) {
      expect(record.href).toBe(`http://hub.test${API}/auditRecord/${record.id}`);
      expect(Date.parse(record.at)).not.toBeNaN();
    }
    const times = (res.body as AuditRecord[]).map((r) => r.at);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it.each<[string, string, string[]]>([
    ['operation=', '?operation=deleteTopic', ['deleteTopic']],
    ['status=', '?status=201', ['createTopic', 'createTopic']],
    ['principal=', '?principal=anonymous&limit=1', ['createTopic']],
    ['status.gte= (refusals only: none here)', '?status.gte=400', []],
    ['at.gte= in the future', `?at.gte=${new Date(Date.now() + 3_600_000).toISOString()}`, []],
    ['at.gte= in the past, paged', `?at.gte=2000-01-01T00:00:00Z&offset=2`, ['createTopic']],
  ])('should filter with %s', async (_label, query, expected) => {
    await someChanges();
    expect((await records(query)).map((r) => r.operation)).toEqual(expected);
  });

  it('should keep only the fields asked for, plus what the contract requires', async () => {
    await someChanges();
    const [first] = await records('?fields=status&limit=1');
    expect(first).toMatchObject({ status: 201, '@type': 'AuditRecord' });
  });

  it.each([['an attribute records do not have', 'secret=x'], ['the computed href', 'href=x']])('should refuse a filter on %s with a 400 naming it', async (_label, query) => {
    const res = await hub.client.get(`${API}/auditRecord?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.message).toContain(query.split('=')[0]);
    expect(res.body.message).not.toContain('=x');
  });

  it('should retrieve one record by id, and 404 for an unknown one', async () => {
    await someChanges();
    const [newest] = await records();
    const res = await hub.client.get(`${API}/auditRecord/${newest.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(newest);
    const missing = await hub.client.get(`${API}/auditRecord/unknown`);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ '@type': 'Error', code: 'NotFound', message: 'Audit record unknown does not exist' });
  });

  it('should record the path of a change without its query string', async () => {
    const imported = await hub.client.post(`${API}/schema/import?compatibility=none`, { swagger: '2.0', info: { title: 'Empty', version: '1' }, definitions: {} });
    expect(imported.status).toBe(200);
    const [record] = await records();
    expect(record).toMatchObject({ operation: 'importSchema', resource: `${API}/schema/import`, status: 200 });
    expect(JSON.stringify(record)).not.toContain('compatibility');
  });
});

describe('the audit trail when its store fails', () => {
  it('should still answer the change, and log the record instead', async () => {
    const { stores } = await createTestStores();
    stores.audit.insert = async () => {
      throw new StoreUnavailableError(new Error('down'));
    };
    const lines: string[] = [];
    const hub = await buildTestApp({ stores, logger: createLogger('warn', (line) => void lines.push(line)) });
    try {
      const created = await hub.client.post(`${API}/topic`, { name: 'still-made' });
      expect(created.status).toBe(201);
      expect((await hub.client.get(`${API}/topic/${created.body.id}`)).status).toBe(200);
      const logged = lines.map((line) => JSON.parse(line)).find((line) => line.audit);
      expect(logged).toMatchObject({ level: 'warn', audit: { operation: 'createTopic', resource: created.body.href, status: 201 } });
    } finally {
      await hub.stop();
    }
  });
});
