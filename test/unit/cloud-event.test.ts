import { binaryCloudEventHeaders, cloudEventContext, eventSubject, structuredCloudEvent } from '../../src/cloudevents/cloud-event';

const SOURCE = 'https://hub.example.com/tmf-api/event/v4/topic/t1';

describe('the CloudEvents mapping', () => {
  it.each<[string, Record<string, unknown>, string | undefined]>([
    ['the resource of a TMF event', { event: { productOrder: { id: 'PO-1', state: 'x' } } }, 'PO-1'],
    ['a numeric id', { event: { alarm: { id: 42 } } }, '42'],
    ['the first resource with an id', { event: { note: { text: 'x' }, topic: { id: 't9' } } }, 't9'],
    ['no event payload', { eventType: 'X' }, undefined],
    ['an event that is an array', { event: [{ id: 'a' }] }, undefined],
    ['a resource without an id', { event: { productOrder: { state: 'x' } } }, undefined],
    ['an empty id', { event: { productOrder: { id: '' } } }, undefined],
    ['a null payload', { event: null }, undefined],
  ])('should take the subject from %s', (_case, notification, subject) => {
    expect(eventSubject(notification)).toBe(subject);
  });

  it.each<[string, Record<string, unknown>, ReturnType<typeof cloudEventContext>]>([
    [
      'a full notification',
      { eventType: 'ProductOrderCreateEvent', eventTime: '2024-05-01T10:00:00.000Z', event: { productOrder: { id: 'PO-1' } } },
      { source: SOURCE, type: 'ProductOrderCreateEvent', time: '2024-05-01T10:00:00.000Z', subject: 'PO-1' },
    ],
    ['a notification without eventType or time', { event: {} }, { source: SOURCE, type: 'Event' }],
    ['a non-string eventTime', { eventType: 'E', eventTime: 12 }, { source: SOURCE, type: 'E' }],
  ])('should map %s', (_case, notification, expected) => {
    expect(cloudEventContext(notification, SOURCE)).toEqual(expected);
  });

  it('should splice the serialised notification into a structured CloudEvent', () => {
    const data = JSON.stringify({ eventType: 'E', n: 1 });
    const text = structuredCloudEvent({ id: 'd1', source: SOURCE, type: 'E', time: '2024-05-01T10:00:00.000Z', subject: 'PO-1' }, data);
    expect(JSON.parse(text)).toEqual({
      specversion: '1.0', id: 'd1', source: SOURCE, type: 'E', time: '2024-05-01T10:00:00.000Z', subject: 'PO-1', datacontenttype: 'application/json', data: { eventType: 'E', n: 1 },
    });
    expect(JSON.parse(structuredCloudEvent({ id: 'd1', source: SOURCE, type: 'E' }, '{}'))).not.toHaveProperty('time');
  });

  it('should write binary-mode headers, percent-encoding what is not printable ASCII (and %)', () => {
    expect(binaryCloudEventHeaders({ id: 'd1', source: SOURCE, type: 'Ünïcode%Event', subject: 'PO 1' })).toEqual({
      'ce-specversion': '1.0', 'ce-id': 'd1', 'ce-source': SOURCE, 'ce-type': '%C3%9Cn%C3%AFcode%25Event', 'ce-subject': 'PO 1',
    });
  });
});
