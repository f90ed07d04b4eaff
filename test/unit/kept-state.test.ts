import { keptState } from '../../src/hub/kept-state';

const order = { id: 'o1', state: 'completed' };

describe('keptState', () => {
  it.each<[string, Record<string, unknown>, ReturnType<typeof keptState>]>([
    ['a create', { eventType: 'ProductOrderCreateEvent', event: { productOrder: order } }, { put: order }],
    ['a change', { eventType: 'ProductOrderStateChangeEvent', event: { productOrder: order } }, { put: order }],
    ['any eventType with a resource', { eventType: 'Whatever', event: { alarm: { id: 'a1' } } }, { put: { id: 'a1' } }],
    ['a delete', { eventType: 'ProductOrderDeleteEvent', event: { productOrder: order } }, { delete: 'o1' }],
    ['no payload', { eventType: 'ProductOrderCreateEvent' }, undefined],
    ['a payload of two resources', { eventType: 'X', event: { a: { id: '1' }, b: { id: '2' } } }, undefined],
    ['a payload that is not an object', { eventType: 'X', event: 'o1' }, undefined],
    ['a payload that is an array', { eventType: 'X', event: [order] }, undefined],
    ['a resource without an id', { eventType: 'X', event: { productOrder: { state: 'x' } } }, undefined],
    ['a resource with a numeric id', { eventType: 'X', event: { productOrder: { id: 1 } } }, undefined],
    ['a resource that is an array', { eventType: 'X', event: { productOrder: [order] } }, undefined],
    ['a resource that is null', { eventType: 'X', event: { productOrder: null } }, undefined],
  ])('should read %s', (_case, event, change) => {
    expect(keptState(event)).toEqual(change);
  });
});
