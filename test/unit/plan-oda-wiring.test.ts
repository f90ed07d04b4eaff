import { loadConfig } from '../../src/config';
import { resolveOdaCallback } from '../../src/hub/oda-callback';
import type { OdaSubscribedEntry } from '../../src/hub/oda-manifest';
import { changesNothing, planOdaWiring, type HubView, type MadeHub, type MadeTopic, type OdaWiring, type OdaWiringPlan } from '../../src/hub/plan-oda-wiring';

const DEFAULT_BASE = loadConfig({}).odaCallbackBase;
const COMPONENT = { name: 'orders', namespace: 'shop' };

describe('resolveOdaCallback', () => {
  it.each<[string, Partial<OdaSubscribedEntry>, string, string]>([
    ['an absolute URL as it is', { callback: 'https://listener.example/x?y=1', port: 1 }, DEFAULT_BASE, 'https://listener.example/x?y=1'],
    ['a broker destination as it is', { callback: 'kafka://orders-in' }, DEFAULT_BASE, 'kafka://orders-in'],
    ['a path on the implementation service (the default base)', { callback: '/listener/x', port: 8080, implementation: 'orders-api' }, DEFAULT_BASE, 'http://orders-api.shop.svc.cluster.local:8080/listener/x'],
    ["a path on the component's name when no implementation is named", { callback: '/l', port: 80 }, DEFAULT_BASE, 'http://orders.shop.svc.cluster.local:80/l'],
    ['a path against a gateway base without a port', { callback: '/l' }, 'https://gw.example/{namespace}/{name}/', 'https://gw.example/shop/orders/l'],
  ])('should resolve %s', (_what, entry, base, url) => {
    expect(resolveOdaCallback(entry, COMPONENT, base)).toEqual({ url });
  });

  it.each<[string, Partial<OdaSubscribedEntry>, string]>([
    ['no callback', {}, 'callback: the entry names no callback to deliver to'],
    ['a relative path', { callback: 'listener', port: 1 }, 'callback: "listener" is neither an absolute URL nor a path starting with /'],
    ['a path without the port the base needs', { callback: '/l' }, "port: the callback is a path on the component's service, and HUB_ODA_CALLBACK_BASE needs the entry's port"],
  ])('should give the reason for %s', (_what, entry, reason) => {
    expect(resolveOdaCallback(entry, COMPONENT, DEFAULT_BASE)).toEqual({ reason });
  });
});

const BASE = 'http://{name}:{port}';
const topic = (name: string, topicId: string, origin: MadeTopic['origin'] = 'created'): MadeTopic => ({ name, topicId, origin });
const hub = (name: string, topicId: string, hubId: string, extra: Partial<MadeHub> = {}): MadeHub => ({ name, topicId, hubId, callback: 'http://orders:8080/l', ...extra });
const sub = (name: string, extra: Partial<OdaSubscribedEntry> = {}): OdaSubscribedEntry => ({ name, callback: '/l', port: 8080, ...extra });
const NOTHING: OdaWiring = { published: [], subscribed: [], kept: [] };

function view(topics: Array<[string, string]>, hubIds: string[] = [], foreignUse: Array<[string, string]> = []): HubView {
  return { topics: topics.map(([id, name]) => ({ id, name })), hubIds: new Set(hubIds), foreignUse: new Map(foreignUse) };
}

const manifest = (published: string[], subscribed: OdaSubscribedEntry[] = []) => ({ ...COMPONENT, published: published.map((name) => ({ name })), subscribed });

/** The decisions of a plan, without the lists that merely carry what stays. */
const decisions = (plan: OdaWiringPlan) => ({
  topicsToCreate: plan.topicsToCreate,
  topicsToDelete: plan.topicsToDelete.map((t) => t.name),
  topicsHandedOver: plan.topicsHandedOver.map((t) => [t.name, t.reason]),
  hubsToCreate: plan.hubsToCreate.map((h) => [h.name, h.topicId ?? '(created)', h.query ?? '']),
  hubsToDelete: plan.hubsToDelete.map((h) => h.hubId),
  unapplied: plan.unapplied.map((u) => [u.section, u.name, u.reason.split(':')[0]]),
});

const none = { topicsToCreate: [], topicsToDelete: [], topicsHandedOver: [], hubsToCreate: [], hubsToDelete: [], unapplied: [] };

describe('planOdaWiring', () => {
  it.each<[string, ReturnType<typeof manifest>, OdaWiring, HubView, Partial<ReturnType<typeof decisions>>]>([
    ['a first apply: topics for the published entries, a hub on a topic it creates', manifest(['A', 'B'], [sub('A')]), NOTHING, view([]), { topicsToCreate: ['A', 'B'], hubsToCreate: [['A', '(created)', '']] }],
    ['an existing topic of the name reused, not created', manifest(['A']), NOTHING, view([['t9', 'A']]), {}],
    ['a hub on the first existing topic of its name', manifest([], [sub('X', { query: 'eventType=E' })]), NOTHING, view([['t1', 'X'], ['t2', 'X']]), { hubsToCreate: [['X', 't1', 'eventType=E']] }],
    ['no topic of the name: unapplied', manifest([], [sub('X')]), NOTHING, view([]), { unapplied: [['subscribedEvents', 'X', 'no topic named "X"']] }],
    ['a callback that cannot be resolved: unapplied', manifest([], [sub('X', { port: undefined })]), NOTHING, view([['t1', 'X']]), { unapplied: [['subscribedEvents', 'X', 'port']] }],
    [
      'a second entry of a name: unapplied, the first applied',
      manifest(['A', 'A'], [sub('A'), sub('A', { callback: '/other' })]),
      NOTHING,
      view([]),
      { topicsToCreate: ['A'], hubsToCreate: [['A', '(created)', '']], unapplied: [['publishedEvents', 'A', 'a second entry named "A"'], ['subscribedEvents', 'A', 'a second entry named "A"']] },
    ],
    ['a created topic left out: deleted', manifest([]), { ...NOTHING, published: [topic('A', 't1')] }, view([['t1', 'A']]), { topicsToDelete: ['A'] }],
    ['a reused topic left out: only forgotten', manifest([]), { ...NOTHING, published: [topic('A', 't1', 'reused')] }, view([['t1', 'A']]), {}],
    [
      'a created topic left out that others use: handed over',
      manifest([]),
      { ...NOTHING, published: [topic('A', 't1')] },
      view([['t1', 'A']], [], [['t1', 'kept: 1 hub(s)']]),
      { topicsHandedOver: [['A', 'kept: 1 hub(s)']] },
    ],
    ['a topic the component made that was deleted since: made again', manifest(['A']), { ...NOTHING, published: [topic('A', 't1')] }, view([]), { topicsToCreate: ['A'] }],
    ['a changed query: the hub made again', manifest([], [sub('X', { query: 'a=1' })]), { ...NOTHING, subscribed: [hub('X', 't1', 'h1')] }, view([['t1', 'X']], ['h1']), { hubsToCreate: [['X', 't1', 'a=1']], hubsToDelete: ['h1'] }],
    ['a changed callback: the hub made again', manifest([], [sub('X', { port: 9090 })]), { ...NOTHING, subscribed: [hub('X', 't1', 'h1')] }, view([['t1', 'X']], ['h1']), { hubsToCreate: [['X', 't1', '']], hubsToDelete: ['h1'] }],
    ['a hub removed since (a 410): made again, nothing to delete', manifest([], [sub('X')]), { ...NOTHING, subscribed: [hub('X', 't1', 'h1')] }, view([['t1', 'X']]), { hubsToCreate: [['X', 't1', '']] }],
    ['a subscribed entry left out: its hub deleted', manifest([]), { ...NOTHING, subscribed: [hub('X', 't1', 'h1')] }, view([['t1', 'X']], ['h1']), { hubsToDelete: ['h1'] }],
    [
      'a hub on a topic the plan deletes: goes with it, and the entry has no topic left',
      manifest([], [sub('A')]),
      { ...NOTHING, published: [topic('A', 't1')], subscribed: [hub('A', 't1', 'h1')] },
      view([['t1', 'A']], ['h1']),
      { topicsToDelete: ['A'], unapplied: [['subscribedEvents', 'A', 'no topic named "A"']] },
    ],
  ])('should plan %s', (_what, wanted, made, hubView, expected) => {
    expect(decisions(planOdaWiring(wanted, made, hubView, BASE))).toEqual({ ...none, ...expected });
  });

  it('should record a reused topic as reused, and keep a hand-over recorded until the topic is gone or declared again', () => {
    const reused = planOdaWiring(manifest(['A']), NOTHING, view([['t9', 'A']]), BASE);
    expect(reused.topicsKept).toEqual([topic('A', 't9', 'reused')]);
    const kept = { name: 'K', topicId: 't5', reason: 'kept: 1 hub(s)' };
    expect(planOdaWiring(manifest([]), { ...NOTHING, kept: [kept] }, view([['t5', 'K']]), BASE).kept).toEqual([kept]);
    expect(planOdaWiring(manifest([]), { ...NOTHING, kept: [kept] }, view([]), BASE).kept).toEqual([]);
    const declaredAgain = planOdaWiring(manifest(['K']), { ...NOTHING, kept: [kept] }, view([['t5', 'K']]), BASE);
    expect([declaredAgain.kept, declaredAgain.topicsKept]).toEqual([[], [topic('K', 't5', 'reused')]]);
  });

  it('should plan nothing for the same manifest once its plan is carried out (idempotent)', () => {
    const wanted = manifest(['A', 'B'], [sub('A', { query: 'eventType=E' }), sub('X'), sub('Nope')]);
    const first = planOdaWiring(wanted, NOTHING, view([['tx', 'X']]), BASE);
    expect(changesNothing(first)).toBe(false);
    // Carry it out as the service does: topics get ids, hubs get ids.
    const published = [...first.topicsKept, ...first.topicsToCreate.map((name, i) => topic(name, `new-${i}`))];
    const subscribed = first.hubsToCreate.map((h, i) => ({ name: h.name, topicId: h.topicId ?? published.find((t) => t.name === h.name)!.topicId, hubId: `hub-${i}`, callback: h.callback, ...(h.query ? { query: h.query } : {}) }));
    const after = view([['tx', 'X'], ...published.map((t) => [t.topicId, t.name] as [string, string])], subscribed.map((h) => h.hubId));
    const again = planOdaWiring(wanted, { published, subscribed, kept: [] }, after, BASE);
    expect(changesNothing(again)).toBe(true);
    expect(again.topicsKept).toEqual(published);
    expect(again.hubsKept).toEqual(subscribed);
    expect(again.unapplied).toEqual(first.unapplied);
  });

  it('should plan the deletion of everything it created, and nothing it reused, for an empty manifest (a component deleted)', () => {
    const made: OdaWiring = { published: [topic('A', 't1'), topic('B', 't2', 'reused')], subscribed: [hub('B', 't2', 'h1')], kept: [] };
    const plan = planOdaWiring(manifest([]), made, view([['t1', 'A'], ['t2', 'B']], ['h1']), BASE);
    expect(decisions(plan)).toEqual({ ...none, topicsToDelete: ['A'], hubsToDelete: ['h1'] });
  });
});
