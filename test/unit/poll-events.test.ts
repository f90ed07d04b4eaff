import { applyPatch, deepClone } from 'fast-json-patch';
import { fieldPath, jsonPatch, type PatchOperation } from '../../src/poll/json-patch';
import { payloadName, pollEventId, pollEvents, type PollContext } from '../../src/poll/poll-events';
import { diffResources, type PolledResource } from '../../src/poll/resource-diff';
import { stateDigest } from '../../src/poll/state-digest';

const URL_ = 'http://127.0.0.1:9/tmf-api/productOrderingManagement/v4/productOrder';
const NOW = new Date('2026-12-06T10:00:00.000Z');
const context: PollContext = { url: URL_, resourceType: 'ProductOrder', generation: 7, now: NOW };
const order = (id: string, extra: Record<string, unknown> = {}): PolledResource => ({ id, '@type': 'ProductOrder', state: 'acknowledged', ...extra });
const known = (...states: PolledResource[]): Map<string, PolledResource> => new Map(states.map((state) => [state.id, state]));
const eventsOf = (before: Map<string, PolledResource>, items: unknown[], ctx: PollContext = context) => pollEvents(diffResources(before, items, true).changes, ctx);

describe('jsonPatch and fieldPath', () => {
  it.each<[string, unknown, unknown]>([
    ['an attribute replaced', { id: '1', state: 'a' }, { id: '1', state: 'b' }],
    ['an attribute added and one removed', { id: '1', note: 'x' }, { id: '1', priority: '1' }],
    ['a nested array changed', { id: '1', item: [{ id: 'i1', qty: 1 }, { id: 'i2' }] }, { id: '1', item: [{ id: 'i1', qty: 2 }] }],
    ['attribute names that need escaping', { 'a/b': 1, 'c~d': 2 }, { 'a/b': 2, 'c~d': 3 }],
  ])('should make a patch that an independent RFC 6902 library applies to the old state, giving the new: %s', (_case, from, to) => {
    const patch = jsonPatch(from, to);
    expect(applyPatch(deepClone(from), patch as never).newDocument).toEqual(to);
  });

  it.each<[string, PatchOperation[], string]>([
    ['one replace', [{ op: 'replace', path: '/state', value: 'b' }], 'state'],
    ['nested paths name their first-level attribute once', [{ op: 'replace', path: '/item/0/qty', value: 2 }, { op: 'remove', path: '/item/1' }], 'item'],
    ['several, each once, sorted', [{ op: 'add', path: '/priority', value: '1' }, { op: 'remove', path: '/note' }, { op: 'replace', path: '/priority', value: '2' }], 'note,priority'],
    ['escaped names unescaped', [{ op: 'replace', path: '/a~1b', value: 2 }, { op: 'replace', path: '/c~0d', value: 3 }], 'a/b,c~d'],
    ['a move names both ends', [{ op: 'move', from: '/old', path: '/new' }], 'new,old'],
    ['a copy names both ends', [{ op: 'copy', from: '/b', path: '/a' }], 'a,b'],
    ['the whole document: none', [{ op: 'replace', path: '', value: {} }], ''],
    ['an empty patch: none', [], ''],
  ])('should name the changed attributes of %s', (_case, patch, path) => {
    expect(fieldPath(patch)).toBe(path);
  });
});

describe('pollEvents', () => {
  it('should publish a CreateEvent with the resource as event.<type>', () => {
    const a = order('a');
    expect(eventsOf(known(), [a]).events).toEqual([
      { eventId: pollEventId(URL_, 'a', 7, stateDigest(a)), eventTime: '2026-12-06T10:00:00.000Z', eventType: 'ProductOrderCreateEvent', event: { productOrder: a } },
    ]);
  });

  it('should publish an AttributeValueChangeEvent with fieldPath and a patch from the old state to the new', () => {
    const a = order('a', { note: [{ text: 'x' }] });
    const changed = { ...a, note: [{ text: 'y' }], priority: '1' };
    const [event, ...rest] = eventsOf(known(a), [changed]).events;
    expect(rest).toEqual([]);
    expect(event).toMatchObject({ eventType: 'ProductOrderAttributeValueChangeEvent', fieldPath: 'note,priority', event: { productOrder: changed } });
    expect(applyPatch(deepClone(a), event.patch as never).newDocument).toEqual(changed);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['state', { state: 'completed' }, 'state'],
    ['status', { status: 'active' }, 'status'],
    ['both', { state: 'completed', status: 'active' }, 'state,status'],
  ])('should follow the change of %s with a StateChangeEvent', (_case, change, path) => {
    const a = order('a', { status: 'new' });
    const changed = { ...a, ...change };
    const digest = stateDigest(changed);
    expect(eventsOf(known(a), [changed]).events.map((e) => [e.eventType, e.fieldPath, e.eventId])).toEqual([
      ['ProductOrderAttributeValueChangeEvent', path, pollEventId(URL_, 'a', 7, digest)],
      ['ProductOrderStateChangeEvent', path, pollEventId(URL_, 'a', 7, `${digest}:state`)],
    ]);
  });

  it('should publish a DeleteEvent with the last known state', () => {
    const a = order('a');
    expect(eventsOf(known(a), []).events).toEqual([
      { eventId: pollEventId(URL_, 'a', 7, 'deleted'), eventTime: '2026-12-06T10:00:00.000Z', eventType: 'ProductOrderDeleteEvent', event: { productOrder: a } },
    ]);
  });

  it.each<[string, string | undefined, Record<string, unknown>, string | undefined]>([
    ['the source’s resourceType over @type', 'ProductOrder', { '@type': 'Other' }, 'ProductOrderCreateEvent'],
    ['the resource’s @type without a resourceType', undefined, { '@type': 'ServiceOrder' }, 'ServiceOrderCreateEvent'],
    ['no @type and no resourceType: unnamed', undefined, { '@type': undefined }, undefined],
    ['an @type that is no type name: unnamed', undefined, { '@type': 'not a type' }, undefined],
  ])('should name events by %s', (_case, resourceType, extra, eventType) => {
    const { events, unnamed } = eventsOf(known(), [order('a', extra)], { ...context, resourceType });
    expect(events.map((e) => e.eventType)).toEqual(eventType ? [eventType] : []);
    expect(unnamed).toEqual(eventType ? [] : ['resource a has no @type naming its events (and the source no resourceType)']);
  });

  it('should carry the payload under the type with a lower-case first letter', () => {
    expect(payloadName('ProductOrder')).toBe('productOrder');
    expect(eventsOf(known(), [order('a', { '@type': 'ServiceOrder' })], { ...context, resourceType: undefined }).events[0].event).toHaveProperty('serviceOrder');
  });

  it('should derive the same ids for the same poll run again, and new ones for another generation, URL or state', () => {
    const a = order('a');
    const changed = { ...a, state: 'completed' };
    const ids = (ctx: PollContext, to = changed) => eventsOf(known(a), [to], ctx).events.map((e) => e.eventId);
    expect(ids(context)).toEqual(ids({ ...context, now: new Date() }));
    const all = [ids(context), ids({ ...context, generation: 8 }), ids({ ...context, url: `${URL_}?state=completed` }), ids(context, { ...a, state: 'held' })].flat();
    expect(new Set(all).size).toBe(all.length);
  });
});
