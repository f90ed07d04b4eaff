import { FanOut, lowerCamel } from '../../src/hub/fan-out';
import { listAll } from '../../src/hub/list-all';
import type { Delivery } from '../../src/store/delivery-types';
import { MemoryResourceStore } from '../../src/store/memory/memory-resource-store';
import type { Resource } from '../../src/store/store-types';

const NOW = new Date('2024-05-01T12:00:00.000Z');
const now = (): Date => NOW;

const TOPIC: Resource = { id: 'topic-1', '@type': 'Topic', name: 'orders' };

/** The transport registry's answer, as configured with Kafka. */
const TARGETS = { isBroker: (url: string) => url.startsWith('kafka:') };

function makeNotification(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'n1',
    href: 'https://hub.example.com/topic/topic-1/event/n1',
    '@type': 'ProductOrderCreateEvent',
    eventId: 42,
    eventType: 'ProductOrderCreateEvent',
    domain: 'sales',
    priority: '3',
    eventTime: '2024-05-01T11:59:00.000Z',
    event: {
      productOrder: { id: 'po-1', state: 'completed', description: 'big order', items: [{ sku: 'X', qty: 1 }, { sku: 'Y', qty: 2 }] },
    },
    ...overrides,
  };
}

function hub(id: string, callback: string, query?: string): Resource {
  const h: Resource = { id, '@type': 'Hub', callback };
  if (query !== undefined) h.query = query;
  return h;
}

async function storeWith(scope: string, hubs: readonly Resource[]): Promise<MemoryResourceStore> {
  const store = new MemoryResourceStore();
  for (const h of hubs) await store.insert(scope, h);
  return store;
}

/** What a publish adds to every record: the topic href (CloudEvents source) and the publish span. */
const CONTEXT = { source: 'https://hub.example.com/topic/topic-1' };

const byHub = (deliveries: readonly Delivery[]): Map<string, Delivery> => new Map(deliveries.map((d) => [d.hubId, d]));

describe('lowerCamel', () => {
  it.each<[string, string]>([
    ['ProductOrderCreateEvent', 'productOrderCreateEvent'],
    ['A', 'a'],
    ['already', 'already'],
    ['', ''],
  ])('should turn %p into %p', (input, expected) => {
    expect(lowerCamel(input)).toBe(expected);
  });
});

describe('FanOut', () => {
  describe('forTopicHubs', () => {
    const HUBS: readonly Resource[] = [
      { ...hub('h-all', 'https://a.example.com/cb'), secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' },
      hub('h-type', 'https://b.example.com/cb', 'eventType=ProductOrderCreateEvent,Other'),
      hub('h-other-type', 'https://c.example.com/cb', 'eventType=CustomerCreateEvent'),
      hub('h-state', 'https://d.example.com/cb', 'event.productOrder.state=completed'),
      hub('h-sku', 'https://e.example.com/cb', 'event.productOrder.items.sku=Y'),
      hub('h-sku-miss', 'https://f.example.com/cb', 'event.productOrder.items.sku=Q'),
      hub('h-and-miss', 'https://g.example.com/cb', 'domain=sales&priority.gt=5'),
      hub('h-fields', 'https://h.example.com/cb', 'eventType=ProductOrderCreateEvent&fields=event.productOrder.id,eventType'),
      hub('h-fields-miss', 'https://i.example.com/cb', 'domain=crm&fields=eventType'),
      hub('h-empty', 'https://j.example.com/cb', ''),
    ];
    const MATCHING = ['h-all', 'h-type', 'h-state', 'h-sku', 'h-fields', 'h-empty'];

    it('should build deliveries only for the hubs whose query matches, in hub order', async () => {
      const fanOut = new FanOut({ targets: TARGETS, listenerSuffix: false, now });
      const deliveries = fanOut.forTopicHubs(TOPIC, HUBS, makeNotification(), 'evt-res-1', CONTEXT);
      expect(deliveries.map((d) => d.hubId)).toEqual(MATCHING);
    });

    it('should fill every field of a delivery, staged until its event is stored, without the hub\'s secret', async () => {
      const fanOut = new FanOut({ targets: TARGETS, listenerSuffix: false, now });
      const notification = makeNotification();
      const deliveries = fanOut.forTopicHubs(TOPIC, HUBS, notification, 'evt-res-1', CONTEXT);
      const callbacks = new Map(HUBS.map((h) => [h.id, h.callback]));
      for (const d of deliveries) {
        expect(d).toEqual({
          id: expect.any(String),
          hubKind: 'topic',
          hubId: d.hubId,
          topicId: 'topic-1',
          eventId: '42',
          eventResourceId: 'evt-res-1',
          eventType: 'ProductOrderCreateEvent',
          url: callbacks.get(d.hubId),
          payload: expect.any(String),
          status: 'staged',
          failures: 0,
          attempts: [],
          nextAttemptAt: NOW.getTime(),
          createdAt: '2024-05-01T12:00:00.000Z',
        });
        expect(d.id.length).toBeGreaterThan(0);
        expect(JSON.stringify(d)).not.toContain('whsec_');
      }
      expect(new Set(deliveries.map((d) => d.id)).size).toBe(deliveries.length);
    });

    it('should give unique ids across calls too', async () => {
      const fanOut = new FanOut({ targets: TARGETS, listenerSuffix: false, now });
      const first = fanOut.forTopicHubs(TOPIC, HUBS, makeNotification(), 'evt-res-1', CONTEXT);
      const second = fanOut.forTopicHubs(TOPIC, HUBS, makeNotification(), 'evt-res-1', CONTEXT);
      expect(new Set([...first, ...second].map((d) => d.id)).size).toBe(first.length + second.length);
    });

    it('should use the current time when no clock is injected', async () => {
      const before = Date.now();
      const deliveries = new FanOut({ targets: TARGETS, listenerSuffix: false }).forTopicHubs(
        TOPIC,
        [hub('h1', 'https://a.example.com')],
        makeNotification(),
        'evt-res-1',
        CONTEXT,
      );
      const after = Date.now();
      expect(deliveries).toHaveLength(1);
      expect(deliveries[0].nextAttemptAt).toBeGreaterThanOrEqual(before);
      expect(deliveries[0].nextAttemptAt).toBeLessThanOrEqual(after);
      expect(Date.parse(deliveries[0].createdAt)).toBe(deliveries[0].nextAttemptAt);
    });

    it('should serialise the whole notification for hubs without fields=, one identical string for all', async () => {
      const fanOut = new FanOut({ targets: TARGETS, listenerSuffix: false, now });
      const notification = makeNotification();
      const deliveries = byHub(fanOut.forTopicHubs(TOPIC, HUBS, notification, 'evt-res-1', CONTEXT));
      const whole = ['h-all', 'h-type', 'h-state', 'h-sku', 'h-empty'].map((id) => deliveries.get(id)?.payload);
      for (const payload of whole) expect(payload).toBe(JSON.stringify(notification));
      expect(JSON.parse(whole[0] as string)).toEqual(notification);
    });

    it('should serialise the projection for a hub with fields=, keeping id, href and @type', async () => {
      const fanOut = new FanOut({ targets: TARGETS, listenerSuffix: false, now });
      const notification = makeNotification();
      const deliveries = byHub(fanOut.forTopicHubs(TOPIC, HUBS, notification, 'evt-res-1', CONTEXT));
      const payload = deliveries.get('h-fields')?.payload as string;
      expect(JSON.parse(payload)).toEqual({
        id: 'n1',
        href: 'https://hub.example.com/topic/topic-1/event/n1',
        '@type': 'ProductOrderCreateEvent',
        event: { productOrder: { id: 'po-1' } },
        eventType: 'ProductOrderCreateEvent',
      });
      expect(payload).not.toBe(deliveries.get('h-all')?.payload);
    });

    it.each<[string, string, unknown]>([
      ['a nested path', 'fields=event.productOrder.state', { event: { productOrder: { state: 'completed' } } }],
      [
        'a path through an array',
        'fields=event.productOrder.items.sku',
        { event: { productOrder: { items: [{ sku: 'X' }, { sku: 'Y' }] } } },
      ],
      ['two top-level fields', 'fields=domain,priority', { domain: 'sales', priority: '3' }],
      ['a missing field', 'fields=missing', {}],
    ])('should project %s', async (_label, query, extra) => {
      const fanOut = new FanOut({ targets: TARGETS, listenerSuffix: false, now });
      const deliveries = fanOut.forTopicHubs(
        TOPIC,
        [hub('h1', 'https://a.example.com', query)],
        makeNotification(),
        'evt-res-1',
        CONTEXT,
      );
      expect(deliveries).toHaveLength(1);
      expect(JSON.parse(deliveries[0].payload)).toEqual({
        id: 'n1',
        href: 'https://hub.example.com/topic/topic-1/event/n1',
        '@type': 'ProductOrderCreateEvent',
        ...(extra as object),
      });
    });

    it('should give hubs with different fields= their own payloads', async () => {
      const fanOut = new FanOut({ targets: TARGETS, listenerSuffix: false, now });
      const deliveries = byHub(
        fanOut.forTopicHubs(
          TOPIC,
          [
            hub('h1', 'https://a.example.com', 'fields=domain'),
            hub('h2', 'https://b.example.com', 'fields=priority'),
            hub('h3', 'https://c.example.com', 'eventType=ProductOrderCreateEvent&fields=domain'),
          ],
          makeNotification(),
          'evt-res-1',
          CONTEXT,
        ),
      );
      expect(JSON.parse(deliveries.get('h1')?.payload as string)).toMatchObject({ domain: 'sales' });
      expect(JSON.parse(deliveries.get('h1')?.payload as string)).not.toHaveProperty('priority');
      expect(JSON.parse(deliveries.get('h2')?.payload as string)).toMatchObject({ priority: '3' });
      expect(JSON.parse(deliveries.get('h2')?.payload as string)).not.toHaveProperty('domain');
      expect(deliveries.get('h3')?.payload).toBe(deliveries.get('h1')?.payload);
    });

    it('should give no deliveries for a topic without hubs', async () => {
      const deliveries = new FanOut({ targets: TARGETS, listenerSuffix: false, now }).forTopicHubs(
        TOPIC,
        [],
        makeNotification(),
        'evt-res-1',
        CONTEXT,
      );
      expect(deliveries).toEqual([]);
    });

    it.each<[string, string, string]>([
      ['a plain callback', 'https://a.example.com/cb', 'https://a.example.com/cb/listener/productOrderCreateEvent'],
      ['a trailing slash', 'https://a.example.com/cb/', 'https://a.example.com/cb/listener/productOrderCreateEvent'],
      ['several trailing slashes', 'https://a.example.com/cb//', 'https://a.example.com/cb/listener/productOrderCreateEvent'],
      ['a bare host with a slash', 'https://a.example.com/', 'https://a.example.com/listener/productOrderCreateEvent'],
    ])('should append /listener/{eventType} to %s with listenerSuffix', async (_label, callback, expected) => {
      const fanOut = new FanOut({ targets: TARGETS, listenerSuffix: true, now });
      const deliveries = fanOut.forTopicHubs(TOPIC, [hub('h1', callback)], makeNotification(), 'evt-res-1', CONTEXT);
      expect(deliveries.map((d) => d.url)).toEqual([expected]);
    });

    it.each([[true], [false]])('should produce kafka: callbacks as given (listenerSuffix %s), with the CloudEvents attributes for ce_* headers', async (listenerSuffix) => {
      const fanOut = new FanOut({ targets: TARGETS, listenerSuffix, now });
      const structured = { ...hub('h2', 'kafka:orders.out'), format: 'cloudevents' };
      const deliveries = byHub(fanOut.forTopicHubs(TOPIC, [hub('h1', 'kafka:orders.out'), structured], makeNotification(), 'evt-res-1', CONTEXT));
      expect(deliveries.get('h1')!.url).toBe('kafka:orders.out');
      expect(deliveries.get('h1')!.cloudEvent).toEqual({
        mode: 'binary',
        source: CONTEXT.source,
        type: 'ProductOrderCreateEvent',
        time: '2024-05-01T11:59:00.000Z',
        subject: 'po-1',
      });
      // A hub that asks for structured CloudEvents gets them as the record value.
      expect(deliveries.get('h2')!.cloudEvent?.mode).toBe('structured');
    });

    it('should use the eventType of the notification for the suffix', async () => {
      const fanOut = new FanOut({ targets: TARGETS, listenerSuffix: true, now });
      const deliveries = fanOut.forTopicHubs(
        TOPIC,
        [hub('h1', 'https://a.example.com/cb/')],
        makeNotification({ eventType: 'ProductOrderStateChangeEvent' }),
        'evt-res-1',
        CONTEXT,
      );
      expect(deliveries[0].url).toBe('https://a.example.com/cb/listener/productOrderStateChangeEvent');
      expect(deliveries[0].eventType).toBe('ProductOrderStateChangeEvent');
    });

    it('should keep a trailing slash without listenerSuffix', async () => {
      const fanOut = new FanOut({ targets: TARGETS, listenerSuffix: false, now });
      const deliveries = fanOut.forTopicHubs(TOPIC, [hub('h1', 'https://a.example.com/cb/')], makeNotification(), 'evt-res-1', CONTEXT);
      expect(deliveries[0].url).toBe('https://a.example.com/cb/');
    });

    it.each<[string, string | undefined, string | undefined, Record<string, unknown>, string[]]>([
      // label, topic headerQuery, topic contentQuery, notification overrides, expected hubs
      ['a header gate that passes', 'domain=sales', undefined, {}, MATCHING],
      ['a header gate that blocks', 'domain=crm', undefined, {}, []],
      ['a header gate on the event type', 'eventType.regex=^Customer', undefined, {}, []],
      ['a content gate that passes', undefined, 'productOrder.state=completed', {}, MATCHING],
      ['a content gate with a leading event.', undefined, 'event.productOrder.state=completed', {}, MATCHING],
      ['a content gate that blocks', undefined, 'productOrder.state=failed', {}, []],
      ['a content gate through an array', undefined, 'productOrder.items.sku=Y', {}, MATCHING],
      ['both gates passing', 'domain=sales', 'productOrder.state=completed', {}, MATCHING],
      ['a passing header gate and a blocking content gate', 'domain=sales', 'productOrder.state=failed', {}, []],
      ['a blocking header gate and a passing content gate', 'domain=crm', 'productOrder.state=completed', {}, []],
      ['empty gates', '', '', {}, MATCHING],
      [
        'gates that pass, with hub queries that then decide',
        'domain=sales',
        undefined,
        { event: { productOrder: { id: 'po-1', state: 'failed', items: [{ sku: 'Q' }] } } },
        ['h-all', 'h-type', 'h-sku-miss', 'h-fields', 'h-empty'],
      ],
    ])('should gate every hub with %s', async (_label, headerQuery, contentQuery, overrides, expected) => {
      const topic: Resource = { ...TOPIC };
      if (headerQuery !== undefined) topic.headerQuery = headerQuery;
      if (contentQuery !== undefined) topic.contentQuery = contentQuery;
      const fanOut = new FanOut({ targets: TARGETS, listenerSuffix: false, now });
      const deliveries = fanOut.forTopicHubs(topic, HUBS, makeNotification(overrides), 'evt-res-1', CONTEXT);
      expect(deliveries.map((d) => d.hubId)).toEqual(expected);
    });

    it('should not apply one topic\'s gate to another topic on the same FanOut', async () => {
      const fanOut = new FanOut({ targets: TARGETS, listenerSuffix: false, now });
      const gated: Resource = { id: 'gated', headerQuery: 'domain=crm', contentQuery: 'productOrder.state=failed' };
      const open: Resource = { id: 'open' };
      expect(fanOut.forTopicHubs(gated, [hub('g1', 'https://a.example.com')], makeNotification(), 'evt-res-1', CONTEXT)).toEqual([]);
      const deliveries = fanOut.forTopicHubs(open, [hub('o1', 'https://b.example.com')], makeNotification(), 'evt-res-1', CONTEXT);
      expect(deliveries.map((d) => [d.hubId, d.topicId])).toEqual([['o1', 'open']]);
    });

    it.each<[number]>([[999], [1000], [1001], [1005], [2000]])('should build for all %p hubs, read page by page (listAll, as a publish reads them)', async (count) => {
      const store = new MemoryResourceStore();
      for (let i = 0; i < count; i++) await store.insert(TOPIC.id, hub(`h${i}`, `https://h${i}.example.com/cb`));
      const deliveries = new FanOut({ targets: TARGETS, listenerSuffix: false, now }).forTopicHubs(TOPIC, await listAll(store, TOPIC.id), makeNotification(), 'evt-res-1', CONTEXT);
      expect(deliveries).toHaveLength(count);
      expect(new Set(deliveries.map((d) => d.hubId)).size).toBe(count);
      expect(deliveries[count - 1]).toMatchObject({ hubId: `h${count - 1}`, url: `https://h${count - 1}.example.com/cb` });
    });

    it('should match across pages when only some hubs match', async () => {
      const store = new MemoryResourceStore();
      // 2010 hubs, every other one matching: 1005 deliveries, some on each of three pages
      for (let i = 0; i < 2010; i++) {
        await store.insert(TOPIC.id, hub(`h${i}`, `https://h${i}.example.com`, i % 2 === 0 ? 'domain=sales' : 'domain=crm'));
      }
      const deliveries = new FanOut({ targets: TARGETS, listenerSuffix: false, now }).forTopicHubs(TOPIC, await listAll(store, TOPIC.id), makeNotification(), 'evt-res-1', CONTEXT);
      expect(deliveries).toHaveLength(1005);
      expect(deliveries.every((d) => Number(d.hubId.slice(1)) % 2 === 0)).toBe(true);
      expect(deliveries[1004].hubId).toBe('h2008');
    });
  });

  describe('forListeners', () => {
    const LISTENERS: readonly Resource[] = [
      hub('l-all', 'https://l1.example.com/cb/'),
      hub('l-type', 'https://l2.example.com/cb', 'eventType=ProductOrderCreateEvent'),
      hub('l-miss', 'https://l3.example.com/cb', 'eventType=CustomerCreateEvent'),
      hub('l-fields', 'https://l4.example.com/cb', 'fields=domain'),
    ];

    it('should build staged listener deliveries, with the topic the notification is about, for the matching registrations', async () => {
      const fanOut = new FanOut({ targets: TARGETS, listenerSuffix: false, now });
      const notification = makeNotification();
      const deliveries = await fanOut.forListeners(await storeWith('', LISTENERS), notification, 'topic-1', CONTEXT);
      expect(deliveries.map((d) => d.hubId)).toEqual(['l-all', 'l-type', 'l-fields']);
      const [all, type, fields] = deliveries;
      expect(all).toEqual({
        id: expect.any(String),
        hubKind: 'listener',
        hubId: 'l-all',
        topicId: 'topic-1',
        eventId: '42',
        eventResourceId: 'n1',
        eventType: 'ProductOrderCreateEvent',
        url: 'https://l1.example.com/cb/',
        payload: JSON.stringify(notification),
        status: 'staged',
        failures: 0,
        attempts: [],
        nextAttemptAt: NOW.getTime(),
        createdAt: NOW.toISOString(),
      });
      expect(type).toMatchObject({ hubKind: 'listener', topicId: 'topic-1', url: 'https://l2.example.com/cb', payload: all.payload });
      expect(JSON.parse(fields.payload)).toEqual({
        id: 'n1',
        href: 'https://hub.example.com/topic/topic-1/event/n1',
        '@type': 'ProductOrderCreateEvent',
        domain: 'sales',
      });
      expect(new Set(deliveries.map((d) => d.id)).size).toBe(3);
    });

    it('should only read registrations of the top-level scope', async () => {
      const store = await storeWith('', [hub('top', 'https://a.example.com')]);
      await store.insert('topic-1', hub('nested', 'https://b.example.com'));
      const deliveries = await new FanOut({ targets: TARGETS, listenerSuffix: false, now }).forListeners(store, makeNotification(), 'topic-1', CONTEXT);
      expect(deliveries.map((d) => d.hubId)).toEqual(['top']);
    });

    it('should append the listener suffix when configured', async () => {
      const fanOut = new FanOut({ targets: TARGETS, listenerSuffix: true, now });
      const deliveries = await fanOut.forListeners(await storeWith('', LISTENERS), makeNotification(), 'topic-1', CONTEXT);
      expect(deliveries.map((d) => d.url)).toEqual([
        'https://l1.example.com/cb/listener/productOrderCreateEvent',
        'https://l2.example.com/cb/listener/productOrderCreateEvent',
        'https://l4.example.com/cb/listener/productOrderCreateEvent',
      ]);
    });

    it('should page through more than 1000 listeners', async () => {
      const store = new MemoryResourceStore();
      for (let i = 0; i < 1005; i++) await store.insert('', hub(`l${i}`, `https://l${i}.example.com`));
      const deliveries = await new FanOut({ targets: TARGETS, listenerSuffix: false, now }).forListeners(store, makeNotification(), 'topic-1', CONTEXT);
      expect(deliveries).toHaveLength(1005);
      expect(new Set(deliveries.map((d) => d.hubId)).size).toBe(1005);
    });
  });
});
