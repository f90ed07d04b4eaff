import { eventPatch, viewPatch } from '../../src/hub/patch-stream';
import type { Resource } from '../../src/store/store-types';

const order = (state: string, extra: Record<string, unknown> = {}): Resource => ({ id: 'o1', state, ...extra });
const event = (eventType: string, productOrder: Record<string, unknown> | undefined, extra: Record<string, unknown> = {}) => ({
  eventId: 'e1',
  eventType,
  ...(productOrder ? { event: { productOrder } } : {}),
  ...extra,
});
const header = { resourceId: 'o1', eventId: 'e1' };

describe('viewPatch (a fresh stream: diffs from what the client holds)', () => {
  it.each<[string, Resource | undefined, Record<string, unknown>, unknown, Resource | undefined]>([
    ['a new resource: add of the whole document', undefined, event('ProductOrderCreateEvent', order('a')), { ...header, eventType: 'ProductOrderCreateEvent', patch: [{ op: 'add', path: '', value: order('a') }] }, order('a')],
    ['a change: the diff from the held state', order('a'), event('ProductOrderAttributeValueChangeEvent', order('b')), { ...header, eventType: 'ProductOrderAttributeValueChangeEvent', patch: [{ op: 'replace', path: '/state', value: 'b' }] }, order('b')],
    ['a change the client already holds (the snapshot had it): nothing', order('b'), event('ProductOrderStateChangeEvent', order('b')), undefined, order('b')],
    ['a delete: remove of the whole document', order('a'), event('ProductOrderDeleteEvent', order('a')), { ...header, eventType: 'ProductOrderDeleteEvent', patch: [{ op: 'remove', path: '' }] }, undefined],
    ['a delete of a resource the client does not hold: nothing', undefined, event('ProductOrderDeleteEvent', order('a')), undefined, undefined],
    ['an event without a resource: nothing', order('a'), event('Heartbeat', undefined), undefined, order('a')],
  ])('should send %s', (_case, held, published, message, after) => {
    const view = new Map<string, Resource>(held ? [['o1', held]] : []);
    expect(viewPatch(view, published)).toEqual(message);
    expect(view.get('o1')).toEqual(after);
  });
});

describe('eventPatch (a resumed stream: what the event itself says)', () => {
  it.each<[string, Record<string, unknown>, unknown]>([
    ['a create: add of the whole document', event('ProductOrderCreateEvent', order('a')), [{ op: 'add', path: '', value: order('a') }]],
    ['a change with its own patch: that patch', event('ProductOrderAttributeValueChangeEvent', order('b'), { patch: [{ op: 'replace', path: '/state', value: 'b' }] }), [{ op: 'replace', path: '/state', value: 'b' }]],
    ['a change without a patch: replace of the whole document', event('ProductOrderStateChangeEvent', order('b')), [{ op: 'replace', path: '', value: order('b') }]],
    ['a delete: remove of the whole document', event('ProductOrderDeleteEvent', order('a')), [{ op: 'remove', path: '' }]],
  ])('should send %s', (_case, published, patch) => {
    expect(eventPatch(published)).toEqual({ ...header, eventType: published.eventType, patch });
  });

  it('should send nothing for an event without a resource', () => {
    expect(eventPatch(event('Heartbeat', undefined))).toBeUndefined();
  });
});
