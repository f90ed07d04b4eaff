// Mock-mode inboxes: what reached POST /inbox/{name} and the client-side /listener/* endpoints.
import { apiUrl, newest, request, seg } from './api.js';
import { empty, fill, h, jsonBlock, time } from './dom.js';

/** The inboxes behind the spec's client-side listener endpoints, listed at GET /listener/{name}. */
export const LISTENER_INBOXES = ['topicCreateEvent', 'topicChangeEvent', 'topicDeleteEvent'];
const PAGE = 50;

const pathOf = (name) => (LISTENER_INBOXES.includes(name) ? `/listener/${seg(name)}` : `/inbox/${seg(name)}`);

function entryItem(entry) {
  const n = entry.notification;
  const title = n && typeof n === 'object' && typeof n.eventType === 'string' ? n.eventType : 'notification';
  return h(
    'li',
    { class: 'event', 'data-testid': 'inbox-entry', 'data-entry-id': entry.id ?? '' },
    h(
      'div',
      { class: 'event-head' },
      h('strong', {}, title),
      ' received ',
      time(entry.receivedAt),
      n && typeof n === 'object' && n.eventId !== undefined ? [' ', h('code', { title: 'eventId' }, String(n.eventId))] : null,
    ),
    jsonBlock(n, 'notification'),
    entry.headers ? jsonBlock(entry.headers, 'headers') : null,
  );
}

export function createInboxView(ctx) {
  const form = document.getElementById('inbox-form');
  const input = document.getElementById('inbox-name');
  const list = document.getElementById('inbox-list');
  const summary = document.getElementById('inbox-summary');
  const callback = document.getElementById('inbox-callback');
  let name = ctx.initialInbox || 'console';
  input.value = name;

  async function load() {
    const current = name;
    const path = pathOf(current);
    callback.textContent = apiUrl(path);
    const { items, total } = await newest(path, PAGE);
    if (current !== name) return;
    summary.textContent = total > items.length ? `newest ${items.length} of ${total}` : `${total} received`;
    fill(list, items.length ? items.map(entryItem) : empty(`Nothing has arrived in "${current}" yet.`));
  }

  function use(value) {
    name = value.trim() || 'console';
    input.value = name;
    ctx.inboxChanged(name);
    return ctx.guard(load, 'Inbox');
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    use(input.value);
  });
  document.getElementById('inbox-refresh').addEventListener('click', () => use(input.value));
  document.getElementById('inbox-clear').addEventListener('click', () =>
    ctx.guard(async () => {
      await request(`/inbox/${seg(name)}`, { method: 'DELETE' });
      ctx.notice(`Inbox "${name}" cleared.`);
      await load();
    }, 'Clear inbox'),
  );
  fill(
    document.getElementById('inbox-listeners'),
    LISTENER_INBOXES.map((listener) =>
      h('button', { type: 'button', class: 'link-button', 'data-testid': `inbox-pick-${listener}`, onclick: () => use(listener) }, listener),
    ),
  );

  return {
    reload: () => ctx.guard(load, 'Inbox'),
    get name() {
      return name;
    },
  };
}
