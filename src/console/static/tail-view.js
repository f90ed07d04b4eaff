// Live tail of a topic (GET /topic/{id}/event/stream, Server-Sent Events) and its recent events.
import { apiUrl, authHeaders, errorFrom, newest, seg } from './api.js';
import { empty, fill, h, jsonBlock, time } from './dom.js';
import { openEventStream } from './sse.js';

const MAX_SHOWN = 200;

export function createTailView(ctx) {
  const root = document.getElementById('panel-tail');
  const state = document.getElementById('tail-state');
  const list = document.getElementById('tail-list');
  const recent = document.getElementById('recent-list');
  const queryInput = document.getElementById('tail-query');
  const pauseButton = document.getElementById('tail-pause');
  let stream;
  let topicId;
  let paused = false;
  let held = [];
  const seen = new Set();

  function setState(text, kind) {
    state.textContent = text;
    state.dataset.state = kind;
  }

  function entry(event, id, testid = 'tail-event') {
    const body = event && typeof event === 'object' ? event : { data: event };
    return h(
      'li',
      { class: 'event', 'data-testid': testid, 'data-event-id': body.eventId ?? '', 'data-id': id ?? body.id ?? '' },
      h(
        'div',
        { class: 'event-head' },
        h('strong', {}, String(body.eventType ?? '(no eventType)')),
        ' ',
        time(body.eventTime),
        ' ',
        h('code', { title: 'eventId' }, String(body.eventId ?? id ?? '')),
      ),
      jsonBlock(body, 'event'),
    );
  }

  function show(event, id) {
    list.querySelector('.empty')?.remove();
    list.prepend(entry(event, id));
    while (list.children.length > MAX_SHOWN) list.lastElementChild.remove();
  }

  function onMessage(message) {
    // After a resume the hub may send an event again: show each one once.
    if (message.id) {
      if (seen.has(message.id)) return;
      seen.add(message.id);
      if (seen.size > 5 * MAX_SHOWN) seen.delete(seen.values().next().value);
    }
    let event;
    try {
      event = JSON.parse(message.data);
    } catch {
      event = message.data;
    }
    if (paused) {
      held.push([event, message.id]);
      if (held.length > MAX_SHOWN) held.shift();
      pauseButton.textContent = `Resume (${held.length} new)`;
    } else {
      show(event, message.id);
    }
  }

  function onState(kind, detail) {
    const labels = { connecting: 'connecting...', open: 'live', reconnecting: 'reconnecting...', closed: 'closed' };
    setState(detail ? `${labels[kind]} ${detail}` : labels[kind], kind);
  }

  function start() {
    stop();
    if (!topicId) return;
    const query = queryInput.value.trim();
    const id = topicId;
    stream = openEventStream({
      url: () => apiUrl(`/topic/${seg(id)}/event/stream`, { query }),
      headers: authHeaders,
      errorFrom,
      onMessage,
      onState,
      onFatal: (err) => ctx.report(err, 'Live tail'),
    });
  }

  function stop() {
    stream?.close();
    stream = undefined;
  }

  async function loadRecent() {
    if (!topicId) return;
    const id = topicId;
    const { items, total } = await newest(`/topic/${seg(id)}/event`, 20);
    if (id !== topicId) return;
    fill(
      recent,
      items.length ? items.map((e) => entry(e, e.id, 'recent-event')) : empty('No events published to this topic yet.'),
    );
    recent.dataset.total = String(total);
    document.getElementById('recent-summary').textContent = total > items.length ? `newest ${items.length} of ${total}` : `${total}`;
  }

  document.getElementById('tail-form').addEventListener('submit', (e) => {
    e.preventDefault();
    start();
  });
  document.getElementById('tail-clear').addEventListener('click', () => fill(list, empty('Waiting for events...')));
  document.getElementById('recent-refresh').addEventListener('click', () => ctx.guard(loadRecent, 'Recent events'));
  pauseButton.addEventListener('click', () => {
    paused = !paused;
    if (!paused) {
      for (const [event, id] of held) show(event, id);
      held = [];
    }
    pauseButton.textContent = paused ? 'Resume' : 'Pause';
  });

  return {
    /** A topic was selected (or undefined): restart the tail and reload its recent events. */
    select(id) {
      topicId = id;
      seen.clear();
      held = [];
      fill(list, empty(id ? 'Waiting for events...' : 'Select a topic.'));
      fill(recent);
      root.dataset.topicId = id ?? '';
      if (!id) {
        stop();
        setState('closed', 'closed');
        return;
      }
      start();
      ctx.guard(loadRecent, 'Recent events');
    },
    /** The API key changed: reconnect with it. */
    reconnect() {
      if (topicId) start();
      ctx.guard(loadRecent, 'Recent events');
    },
    stop,
  };
}
