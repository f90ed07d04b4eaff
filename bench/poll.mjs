// The poll source row (issue 28): a hub polls a TMF622 productOrder list of 10,000 resources served on
// the loopback (TMF630 paging, X-Total-Count), every second, with 1% of the orders changed before each
// poll; the row is the hub's CPU per poll (every page read, diffed, 200 events published, states stored)
// and the events it yields per second of hub CPU. Run by bench/run.mjs (`--only poll`).
import http from 'node:http';
import { sleep, waitFor } from './lib.mjs';

const RESOURCES = 10_000;
const CHANGED = RESOURCES / 100;
const API = '/tmf-api/event/v4';

/** X-Total-Count of a list of the hub, read with `limit=1`. */
async function countOf(base, path) {
  const res = await fetch(`${base}${API}${path}?limit=1`);
  await res.arrayBuffer();
  return Number(res.headers.get('x-total-count'));
}

/** The TMF622 mock: the orders, paged by offset and limit; counts the polls (reads of the first page). */
async function startOrders() {
  const orders = Array.from({ length: RESOURCES }, (_, i) => ({
    id: `PO-${i}`,
    href: `http://orders.example/tmf-api/productOrderingManagement/v4/productOrder/PO-${i}`,
    '@type': 'ProductOrder',
    state: 'acknowledged',
    priority: '4',
    orderDate: '2026-12-01T10:00:00Z',
    productOrderItem: [{ id: '1', action: 'add', quantity: 1, productOffering: { id: 'PO-FIBRE-1G', name: 'Fibre 1G' } }],
    relatedParty: [{ id: `C-${i}`, role: 'customer', '@referredType': 'Individual' }],
  }));
  const mock = { orders, polls: 0, url: '' };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://mock');
    const offset = Number(url.searchParams.get('offset') ?? 0);
    const limit = Number(url.searchParams.get('limit') ?? 100);
    if (offset === 0) mock.polls += 1;
    res.writeHead(200, { 'content-type': 'application/json', 'x-total-count': String(orders.length) });
    res.end(JSON.stringify(orders.slice(offset, offset + limit)));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  mock.url = `http://127.0.0.1:${server.address().port}/tmf-api/productOrderingManagement/v4/productOrder?limit=1000`;
  mock.close = () => new Promise((resolve) => server.close(resolve));
  return mock;
}

/** `rounds` polls of 10,000 resources, each after 1% of them changed state: CPU per poll, events per hub CPU-second. */
export async function pollSource(env, { startHub, log, rounds }) {
  log(`poll source: ${RESOURCES} resources, ${CHANGED} changed before each of ${rounds} polls`);
  const mock = await startOrders();
  const hub = await startHub(env);
  try {
    const topic = await hub.post('/topic', { name: 'bench-poll', source: { poll: mock.url, interval: '1s', resourceType: 'ProductOrder' } });
    await waitFor(async () => (await countOf(hub.base, `/topic/${topic.id}/state`)) === RESOURCES, 120_000, 'the baseline');
    await sleep(1500);
    hub.probe.reset();
    const polls0 = mock.polls;
    const started = Date.now();
    for (let round = 0; round < rounds; round += 1) {
      for (let i = 0; i < CHANGED; i += 1) {
        const index = (round * CHANGED * 7 + i * 97) % RESOURCES;
        const order = mock.orders[index];
        mock.orders[index] = { ...order, state: order.state === 'completed' ? 'inProgress' : 'completed' };
      }
      // Each change is an AttributeValueChangeEvent and a StateChangeEvent.
      await waitFor(async () => (await countOf(hub.base, `/topic/${topic.id}/event`)) >= 2 * CHANGED * (round + 1), 60_000, `poll ${round + 1}`);
    }
    const seconds = (Date.now() - started) / 1000;
    const probe = await hub.probe.read();
    const polls = mock.polls - polls0;
    const events = await countOf(hub.base, `/topic/${topic.id}/event`);
    const result = { resources: RESOURCES, changedPerPoll: CHANGED, polls, events, seconds, eventsPerSecond: events / seconds, hub: probe };
    if (probe?.cpuMs === undefined) return result;
    return { ...result, cpuUsPerUnit: (probe.cpuMs * 1000) / polls, cpuMsPerPoll: probe.cpuMs / polls, eventsPerCpuSecond: events / (probe.cpuMs / 1000) };
  } finally {
    await hub.stop();
    await mock.close();
  }
}
