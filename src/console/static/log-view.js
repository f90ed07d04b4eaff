// A hub's attempt log: its newest deliveries with every attempt, and redelivery of a delivered or
// dead one (POST .../delivery/{id}/redeliver, 202).
import { newest, request, seg } from './api.js';
import { empty, fill, h, statusPill, time } from './dom.js';

const PAGE = 50;

function attemptRow(a) {
  return h(
    'tr',
    { 'data-testid': 'attempt', 'data-outcome': a.outcome },
    h('td', { class: 'num' }, String(a.number)),
    h('td', {}, time(a.at)),
    h('td', {}, statusPill(a.outcome)),
    h('td', { class: 'num' }, a.statusCode === undefined ? '-' : String(a.statusCode)),
    h('td', { class: 'num' }, a.durationMs === undefined ? '-' : `${Math.round(a.durationMs)} ms`),
    h('td', { class: 'wrap' }, a.error ? h('span', { class: 'bad' }, String(a.error)) : a.response ? h('code', {}, String(a.response)) : ''),
    h('td', { class: 'muted small' }, String(a.worker ?? '')),
  );
}

export function createLogView(ctx) {
  const list = document.getElementById('log-list');
  const select = document.getElementById('log-hub');
  const statusFilter = document.getElementById('log-status');
  const summary = document.getElementById('log-summary');
  let topicId;
  let hubId;

  function deliveryItem(d) {
    const canRedeliver = d.status === 'delivered' || d.status === 'dead';
    const attempts = d.attempts ?? [];
    return h(
      'li',
      { class: 'delivery', 'data-testid': 'delivery', 'data-delivery-id': d.id, 'data-status': d.status, 'data-event-id': d.eventId },
      h(
        'div',
        { class: 'delivery-head' },
        statusPill(d.status),
        ' ',
        h('strong', {}, String(d.eventType ?? 'event')),
        ' ',
        h('code', { title: 'eventId' }, String(d.eventId)),
        ' ',
        h('span', { class: 'muted' }, `created `, time(d.createdAt)),
        d.deliveredAt ? h('span', { class: 'muted' }, ' delivered ', time(d.deliveredAt)) : null,
        d.status === 'pending' && d.nextAttemptAt ? h('span', { class: 'muted' }, ' next attempt ', time(d.nextAttemptAt)) : null,
        canRedeliver
          ? h('button', { type: 'button', class: 'right', 'data-testid': 'redeliver', onclick: () => ctx.guard(() => redeliver(d), 'Redeliver') }, 'Redeliver')
          : null,
      ),
      h('div', { class: 'muted small wrap' }, `to ${d.url} (webhook-id ${d.id})`),
      attempts.length
        ? h(
            'table',
            { class: 'attempts' },
            h('thead', {}, h('tr', {}, ['#', 'at', 'outcome', 'status', 'duration', 'error / response', 'worker'].map((t) => h('th', {}, t)))),
            h('tbody', {}, attempts.map(attemptRow)),
          )
        : empty('No attempt yet.'),
    );
  }

  async function redeliver(d) {
    await request(`/topic/${seg(topicId)}/hub/${seg(hubId)}/delivery/${seg(d.id)}/redeliver`, { method: 'POST' });
    ctx.notice(`Delivery ${d.id} queued again.`);
    await load();
  }

  async function load() {
    if (!topicId || !hubId) {
      fill(list, empty(topicId ? 'Choose a hub.' : 'Select a topic.'));
      summary.textContent = '';
      return;
    }
    const [t, hb] = [topicId, hubId];
    const { items, total } = await newest(`/topic/${seg(t)}/hub/${seg(hb)}/delivery`, PAGE, { status: statusFilter.value });
    if (t !== topicId || hb !== hubId) return;
    summary.textContent = total > items.length ? `newest ${items.length} of ${total} deliveries` : `${total} deliveries`;
    fill(list, items.length ? items.map(deliveryItem) : empty('No deliveries.'));
  }

  function renderOptions(hubs) {
    const options = hubs.map((hub) => h('option', { value: hub.id }, `${hub.callback ?? hub.id}${hub.query ? ` (${hub.query})` : ''}`));
    fill(select, h('option', { value: '' }, hubs.length ? 'Choose a hub...' : 'No hubs'), options);
    select.value = hubs.some((hub) => hub.id === hubId) ? hubId : '';
  }

  select.addEventListener('change', () => {
    hubId = select.value || undefined;
    ctx.guard(load, 'Attempt log');
  });
  statusFilter.addEventListener('change', () => ctx.guard(load, 'Attempt log'));
  document.getElementById('log-refresh').addEventListener('click', () => ctx.guard(load, 'Attempt log'));

  return {
    select(id) {
      topicId = id;
      hubId = undefined;
      renderOptions([]);
      fill(list, empty(id ? 'Choose a hub.' : 'Select a topic.'));
      summary.textContent = '';
    },
    hubsChanged(hubs) {
      renderOptions(hubs);
      if (hubId && !hubs.some((hub) => hub.id === hubId)) {
        hubId = undefined;
        fill(list, empty('Choose a hub.'));
      }
    },
    /** Shows the log of one hub (from the hubs table). */
    open(id) {
      hubId = id;
      if (![...select.options].some((o) => o.value === id)) select.append(h('option', { value: id }, id));
      select.value = id;
      return ctx.guard(load, 'Attempt log');
    },
    reload: () => ctx.guard(load, 'Attempt log'),
  };
}
