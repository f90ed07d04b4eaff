import { BadRequestError, ForbiddenError, NotFoundError, TmfError, TooManyRequestsError } from '../../src/errors';
import { auditRefusal, type RefusalRecord } from '../../src/http/audit-refusal';

const WHERE = { principal: 'order-manager', operation: 'createEvent', resource: '/tmf-api/event/v4/topic/t1/event' };

describe('auditRefusal', () => {
  it.each<[string, unknown, number | undefined]>([
    ['a 401', new TmfError(401, 'Unauthorized', 'Unauthorized', 'A credential is required'), 401],
    ['a 403', new ForbiddenError('The client x lacks the permission admin'), 403],
    ['a 403 quota', new ForbiddenError('The client x owns 3 hubs', 'Quota exceeded'), 403],
    ['a 429', new TooManyRequestsError('Publishing faster than 5 per second', 1), 429],
    ['a 404', new NotFoundError('no such hub'), undefined],
    ['a 400', new BadRequestError('bad'), undefined],
    ['a 503', new TmfError(503, 'ServiceUnavailable', 'x', 'y'), undefined],
    ['an error that is no TMF Error', new Error('boom'), undefined],
  ])('should record %s only if it is a refusal', (_case, err, status) => {
    const records: RefusalRecord[] = [];
    auditRefusal({ record: (entry) => records.push(entry) }, err, WHERE);
    expect(records).toEqual(status === undefined ? [] : [{ ...WHERE, status }]);
  });

  it('should record exactly who, what, where and the status: nothing else of the request', () => {
    const records: RefusalRecord[] = [];
    auditRefusal({ record: (entry) => records.push(entry) }, new ForbiddenError('x'), { ...WHERE, extra: 'Bearer secret' } as typeof WHERE);
    expect(Object.keys(records[0]).sort()).toEqual(['operation', 'principal', 'resource', 'status']);
  });

  it('should log a recording that fails, and neither throw nor reject', async () => {
    const warnings: unknown[] = [];
    const log = { warn: (msg: string, fields?: unknown) => warnings.push([msg, fields]) };
    expect(() => auditRefusal({ record: () => { throw new Error('store down'); } }, new ForbiddenError('x'), WHERE, log)).not.toThrow();
    auditRefusal({ record: () => Promise.reject(new Error('store down')) }, new ForbiddenError('x'), WHERE, log);
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings).toEqual([
      ['could not record a refusal in the audit trail', expect.objectContaining({ status: 403, operation: 'createEvent' })],
      ['could not record a refusal in the audit trail', expect.objectContaining({ status: 403, operation: 'createEvent' })],
    ]);
  });

  it('should do nothing without an audit trail', () => {
    expect(() => auditRefusal(undefined, new ForbiddenError('x'), WHERE)).not.toThrow();
  });
});
