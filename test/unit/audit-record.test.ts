import { auditRecord, MAX_AUDIT_TEXT, withoutQuery } from '../../src/hub/audit-record';

describe('withoutQuery', () => {
  it.each<[string, string, string]>([
    ['a bare path', '/tmf-api/event/v4/topic/t1', '/tmf-api/event/v4/topic/t1'],
    ['a path with a query string', '/tmf-api/event/v4/topic?api_key=s3cr3t-value&x=1', '/tmf-api/event/v4/topic'],
    ['a path with a fragment', '/tmf-api/event/v4/topic#token=abc', '/tmf-api/event/v4/topic'],
    ['an empty query', '/topic?', '/topic'],
    ['an href with a query', 'http://hub.test/tmf-api/event/v4/topic/t1?fields=id', 'http://hub.test/tmf-api/event/v4/topic/t1'],
    ['an href with user information', 'https://user:pa55word@hub.test/tmf-api/event/v4/hub/h1', 'https://hub.test/tmf-api/event/v4/hub/h1'],
    ['an href with a user name only', 'http://someone@hub.test/x', 'http://hub.test/x'],
    ['an @ in a path segment stays', '/inbox/team@example', '/inbox/team@example'],
    ['METHOD path with a query', 'GET /tmf-api/event/v4/topic?access_token=eyJ', 'GET /tmf-api/event/v4/topic'],
    ['an encoded ? stays (it is part of a segment)', '/topic/a%3Fb', '/topic/a%3Fb'],
    ['empty', '', ''],
  ])('should keep %s as %p', (_label, given, expected) => {
    expect(withoutQuery(given)).toBe(expected);
  });
});

describe('auditRecord', () => {
  const at = new Date('2026-03-01T12:00:00.000Z');

  it('should hold the four facts, cleaned, with its id, time and type, and nothing else', () => {
    const record = auditRecord({ principal: 'billing', operation: 'createHub', resource: 'http://hub.test/tmf-api/event/v4/topic/t/hub/h?secret=x', status: 201 }, 'r1', at);
    expect(record).toEqual({
      id: 'r1',
      at: '2026-03-01T12:00:00.000Z',
      principal: 'billing',
      operation: 'createHub',
      resource: 'http://hub.test/tmf-api/event/v4/topic/t/hub/h',
      status: 201,
      '@type': 'AuditRecord',
    });
  });

  it('should strip the query string of an operation written METHOD path', () => {
    const record = auditRecord({ principal: 'unauthenticated', operation: 'GET /x?key=abc', resource: '/x?key=abc', status: 401 }, 'r2', at);
    expect(record).toMatchObject({ operation: 'GET /x', resource: '/x' });
    expect(JSON.stringify(record)).not.toContain('abc');
  });

  it('should cut texts longer than MAX_AUDIT_TEXT', () => {
    const long = `/inbox/${'a'.repeat(MAX_AUDIT_TEXT * 2)}`;
    const record = auditRecord({ principal: 'p'.repeat(MAX_AUDIT_TEXT + 1), operation: 'clearInbox', resource: long, status: 204 }, 'r3', at);
    expect(record.resource).toBe(long.slice(0, MAX_AUDIT_TEXT));
    expect(String(record.principal)).toHaveLength(MAX_AUDIT_TEXT);
  });
});
