import { NotFoundError } from '../../src/errors';
import { AuditService } from '../../src/hub/audit-service';
import type { LogFields } from '../../src/logger';
import { StoreUnavailableError } from '../../src/store/store-errors';
import { TOP_LEVEL, type ResourceStore } from '../../src/store/store-types';
import { memoryStores } from '../helpers/test-stores';

const ALL = { filter: [], offset: 0, limit: 100 };
const AT = new Date('2026-03-01T12:00:00.000Z');

function service(audit: ResourceStore = memoryStores().audit) {
  const warnings: Array<{ msg: string; fields?: LogFields }> = [];
  const logger = { warn: (msg: string, fields?: LogFields) => void warnings.push({ msg, fields }) };
  return { audit: new AuditService({ audit }, logger, () => AT), store: audit, warnings };
}

/** A store whose writes fail as MongoDB's do when it cannot be reached. */
function failingStore(): ResourceStore {
  const store = memoryStores().audit;
  store.insert = async () => {
    throw new StoreUnavailableError(new Error('connection refused'));
  };
  return store;
}

describe('AuditService', () => {
  it('should store a record at the service clock, with storedAt the same instant', async () => {
    const { audit, store } = service();
    await audit.record({ principal: 'admin', operation: 'createTopic', resource: 'http://hub.test/tmf-api/event/v4/topic/t1', status: 201 });
    const [record] = (await store.list(TOP_LEVEL, ALL)).items;
    expect(record).toMatchObject({ at: AT.toISOString(), principal: 'admin', operation: 'createTopic', status: 201, '@type': 'AuditRecord' });
    const stored = await store.listStoredBetween(TOP_LEVEL, AT.getTime(), AT.getTime(), 0, 10);
    expect(stored.items.map((i) => i.resource.id)).toEqual([record.id]);
  });

  it('should strip the query string of the resource before storing it', async () => {
    const { audit, store } = service();
    await audit.record({ principal: 'admin', operation: 'clearInbox', resource: '/tmf-api/event/v4/inbox/x?api_key=0123456789abcdef', status: 204 });
    const [record] = (await store.list(TOP_LEVEL, ALL)).items;
    expect(record.resource).toBe('/tmf-api/event/v4/inbox/x');
    expect(JSON.stringify(record)).not.toContain('0123456789abcdef');
  });

  it('should resolve, not throw, when the store fails, and log the cleaned record instead', async () => {
    const { audit, warnings } = service(failingStore());
    await expect(audit.record({ principal: 'admin', operation: 'deleteTopic', resource: '/topic/t1?token=abc', status: 204 })).resolves.toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0].fields?.audit).toMatchObject({ principal: 'admin', operation: 'deleteTopic', resource: '/topic/t1', status: 204 });
    expect(warnings[0].fields?.err).toBeInstanceOf(StoreUnavailableError);
    expect(JSON.stringify(warnings)).not.toContain('token=abc');
  });

  it('should list newest first and get one record', async () => {
    const clock = [new Date(1000), new Date(2000)];
    const store = memoryStores().audit;
    const audit = new AuditService({ audit: store }, { warn: () => undefined }, () => clock.shift()!);
    await audit.record({ principal: 'a', operation: 'createTopic', resource: '/t/1', status: 201 });
    await audit.record({ principal: 'b', operation: 'deleteTopic', resource: '/t/1', status: 204 });
    const page = await audit.list(ALL);
    expect(page.items.map((r) => r.principal)).toEqual(['b', 'a']);
    await expect(audit.get(page.items[1].id, ['status'])).resolves.toEqual({ id: page.items[1].id, '@type': 'AuditRecord', status: 201 });
  });

  it('should answer NotFoundError for an unknown id', async () => {
    const { audit } = service();
    await expect(audit.get('nope')).rejects.toBeInstanceOf(NotFoundError);
    await expect(audit.get('nope')).rejects.toMatchObject({ status: 404, message: 'Audit record nope does not exist' });
  });
});
