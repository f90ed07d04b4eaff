// The hubs of a topic with their delivery health: pending / delivered / dead counts (each a
// limit=0 list read for its X-Total-Count) and the latest attempt among the newest deliveries.
import { count, newest, request, seg } from './api.js';
import { empty, fill, h, statusPill, time } from './dom.js';
import { hubChart } from './hub-chart.js';

const REFRESH_MS = 5000;

function latestAttempt(deliveries) {
  let best;
  for (const d of deliveries) {
    for (const a of d.attempts ?? []) {
      if (!best || String(a.at) > String(best.at)) best = a;
    }
  }
  return best;
}

function attemptSummary(attempt) {
  if (!attempt) return h('span', { class: 'muted' }, 'no attempt yet');
  const detail = attempt.statusCode !== undefined ? `HTTP ${attempt.statusCode}` : attempt.error ?? '';
  return h(
    'span',
    { 'data-outcome': attempt.outcome },
    statusPill(attempt.outcome),
    ' ',
    detail,
    ' ',
    time(attempt.at),
  );
}

export function createHubsView(ctx) {
  const table = document.getElementById('hub-rows');
  const summary = document.getElementById('hubs-summary');
  const auto = document.getElementById('hubs-auto');
  let topicId;
  let hubs = [];
  let timer;
  // Each load is numbered: only the newest one renders, so a slow answer for a topic that is no
  // longer selected never overwrites the current one.
  let generation = 0;
  let busy = 0;

  async function health(hub) {
    const base = `/topic/${seg(topicId)}/hub/${seg(hub.id)}/delivery`;
    const [pending, delivered, dead, recent, chart] = await Promise.all([
      count(base, { status: 'pending' }),
      count(base, { status: 'delivered' }),
      count(base, { status: 'dead' }),
      newest(base, 10),
      request(`/topic/${seg(topicId)}/hub/${seg(hub.id)}/stats`, { query: { window: '1h' } }).then((res) => res.body),
    ]);
    return { pending, delivered, dead, latest: latestAttempt(recent.items), chart };
  }

  function row(hub, stats) {
    const cell = (testid, value, cls = '') => h('td', { class: `num ${cls}`, 'data-testid': testid }, String(value));
    return h(
      'tr',
      { 'data-testid': 'hub-row', 'data-hub-id': hub.id },
      h('td', {}, h('code', { class: 'wrap' }, String(hub.callback ?? '')), h('div', { class: 'muted small' }, `id ${hub.id}`)),
      h('td', {}, hub.query ? h('code', { class: 'wrap' }, String(hub.query)) : h('span', { class: 'muted' }, 'everything')),
      cell('hub-pending', stats ? stats.pending : '?', stats?.pending ? 'warn' : ''),
      cell('hub-delivered', stats ? stats.delivered : '?'),
      cell('hub-dead', stats ? stats.dead : '?', stats?.dead ? 'bad' : ''),
      h('td', { 'data-testid': 'hub-latest' }, stats ? attemptSummary(stats.latest) : ''),
      h('td', { 'data-testid': 'hub-health' }, stats?.chart ? hubChart(stats.chart) : ''),
      h('td', {}, h('button', { type: 'button', 'data-testid': 'hub-open-log', onclick: () => ctx.openLog(hub.id) }, 'Attempt log')),
    );
  }

  async function load() {
    if (!topicId) return;
    const mine = ++generation;
    busy += 1;
    try {
      const res = await request(`/topic/${seg(topicId)}/hub`, { query: { limit: 200 } });
      if (mine !== generation) return;
      const found = Array.isArray(res.body) ? res.body : [];
      // A hub whose counts cannot be read still gets its row, with question marks.
      const stats = await Promise.all(found.map((hub) => health(hub).catch(() => undefined)));
      if (mine !== generation) return;
      hubs = found;
      const total = res.total ?? hubs.length;
      summary.textContent = total > hubs.length ? `${hubs.length} of ${total} hubs` : `${total} hub${total === 1 ? '' : 's'}`;
      fill(table, hubs.length ? hubs.map((hub, i) => row(hub, stats[i])) : h('tr', {}, h('td', { colspan: 8 }, empty('No hubs: nobody is subscribed to this topic.'))));
      ctx.hubsChanged(hubs);
    } finally {
      busy -= 1;
    }
  }

  function schedule() {
    clearInterval(timer);
    timer = setInterval(() => {
      // Five reads per hub: only while someone looks at the table.
      if (auto.checked && topicId && !busy && !document.hidden && ctx.activeTab() === 'hubs') ctx.guard(load, 'Hubs');
    }, REFRESH_MS);
  }

  document.getElementById('hubs-refresh').addEventListener('click', () => ctx.guard(load, 'Hubs'));
  schedule();

  return {
    select(id) {
      topicId = id;
      generation += 1;
      hubs = [];
      summary.textContent = '';
      fill(table);
      if (id) ctx.guard(load, 'Hubs');
    },
    reload: () => ctx.guard(load, 'Hubs'),
    get hubs() {
      return hubs;
    },
  };
}
