// tmf688-hub console: topics on the left; hubs and their delivery health, the live tail, a hub's
// attempt log and the mock-mode inboxes on the right. Plain ES modules, no build step.
import { ApiError, describeError, getApiKey, request, seg, setApiKey } from './api.js';
import { empty, fill, h } from './dom.js';
import { createHubsView } from './hubs-view.js';
import { createInboxView } from './inbox-view.js';
import { createLogView } from './log-view.js';
import { createSchemasView } from './schemas-view.js';
import { createTailView } from './tail-view.js';

const TABS = ['hubs', 'tail', 'log', 'inbox', 'schemas'];
const TOPIC_PAGE = 100;

const $ = (id) => document.getElementById(id);

/** State kept in the URL hash (#topic=...&tab=...&inbox=...), so a reload or a shared link shows the same view. */
function readHash() {
  const raw = location.hash.replace(/^#/, '');
  if (raw && !raw.includes('=')) return { inbox: decodeURIComponent(raw) };
  const params = new URLSearchParams(raw);
  return { topic: params.get('topic') || undefined, tab: params.get('tab') || undefined, inbox: params.get('inbox') || undefined };
}

const view = { topic: undefined, tab: 'hubs', inbox: 'console' };

function writeHash() {
  const params = new URLSearchParams();
  if (view.topic) params.set('topic', view.topic);
  params.set('tab', view.tab);
  params.set('inbox', view.inbox);
  history.replaceState(null, '', `#${params}`);
}

// Messages to the user. Every failure ends up here; nothing is thrown past a handler.
const authBanner = $('auth-message');
const errorBanner = $('error-message');
const noticeLine = $('notice');

function showAuth(err) {
  const refused = Boolean(getApiKey());
  fill(
    authBanner,
    h('strong', {}, refused ? 'The API key was refused. ' : 'This hub requires an API key. '),
    refused
      ? `${err.message}. Enter a valid key in the API key field above.`
      : 'Enter one of the keys of HUB_API_KEYS in the API key field above; it is sent as "Authorization: Bearer <key>" and kept for this browser tab only.',
  );
  authBanner.hidden = false;
  $('api-key').focus();
}

function showError(text) {
  errorBanner.querySelector('span').textContent = text;
  errorBanner.hidden = false;
}

function report(err, where) {
  if (err && err.name === 'AbortError') return;
  if (err instanceof ApiError && err.status === 401) {
    showAuth(err);
    return;
  }
  showError(where ? `${where}: ${describeError(err)}` : describeError(err));
}

/** Runs an action and reports its failure; the returned promise never rejects. */
function guard(action, where) {
  return Promise.resolve()
    .then(action)
    .catch((err) => report(err, where));
}

let noticeTimer;
function notice(text) {
  noticeLine.textContent = text;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => (noticeLine.textContent = ''), 5000);
}

// A last resort: a bug must show up as a message, not as a silently broken page.
window.addEventListener('unhandledrejection', (e) => {
  e.preventDefault();
  report(e.reason, 'Unexpected error');
});

const initial = readHash();
view.inbox = initial.inbox || 'console';

const ctx = {
  report,
  guard,
  notice,
  initialInbox: view.inbox,
  activeTab: () => view.tab,
  openLog(hubId) {
    selectTab('log');
    return logView.open(hubId);
  },
  hubsChanged: (hubs) => logView.hubsChanged(hubs),
  inboxChanged(name) {
    view.inbox = name;
    writeHash();
  },
};

const hubsView = createHubsView(ctx);
const logView = createLogView(ctx);
const tailView = createTailView(ctx);
const inboxView = createInboxView(ctx);
const schemasView = createSchemasView(ctx);

function selectTab(tab) {
  view.tab = TABS.includes(tab) ? tab : 'hubs';
  for (const name of TABS) {
    const active = name === view.tab;
    $(`tab-${name}`).setAttribute('aria-selected', String(active));
    $(`panel-${name}`).hidden = !active;
  }
  writeHash();
}

for (const name of TABS) $(`tab-${name}`).addEventListener('click', () => selectTab(name));
// The schemas change rarely: read when the tab is opened (and on Refresh), not polled.
$('tab-schemas').addEventListener('click', () => schemasView.reload());

// Topics.
const topicList = $('topic-list');
const topics = new Map();
let topicTotal = 0;

function topicItem(topic) {
  return h(
    'li',
    {},
    h(
      'button',
      {
        type: 'button',
        class: 'topic',
        'data-testid': 'topic-item',
        'data-topic-id': topic.id,
        'aria-current': topic.id === view.topic ? 'true' : false,
        onclick: () => selectTopic(topic.id),
      },
      h('span', { class: 'topic-name' }, String(topic.name ?? '(unnamed)')),
      h('span', { class: 'muted small' }, String(topic.id)),
    ),
  );
}

function renderTopics() {
  fill(topicList, topics.size ? [...topics.values()].map(topicItem) : h('li', {}, empty('No topics yet. Create one with POST /topic.')));
  $('topics-summary').textContent = topicTotal > topics.size ? `${topics.size} of ${topicTotal}` : `${topicTotal} topic${topicTotal === 1 ? '' : 's'}`;
  $('topics-more').hidden = topics.size >= topicTotal;
}

async function loadTopics(append = false) {
  if (!append) topics.clear();
  const res = await request('/topic', { query: { offset: topics.size, limit: TOPIC_PAGE } });
  for (const topic of Array.isArray(res.body) ? res.body : []) topics.set(topic.id, topic);
  topicTotal = res.total ?? topics.size;
  renderTopics();
}

function renderHeading(topic) {
  const heading = $('topic-heading');
  if (!topic) {
    fill(heading, h('h2', {}, 'No topic selected'), h('p', { class: 'muted' }, 'Select a topic on the left to see its hubs, their deliveries and its live events.'));
    return;
  }
  const facts = [
    ['id', topic.id],
    ['headerQuery', topic.headerQuery],
    ['contentQuery', topic.contentQuery],
    ['source', sourceText(topic.source)],
    ['last poll', topic.source?.poll && (topic.source.lastPollAt ?? 'not yet')],
    ['last poll error', topic.source?.poll && topic.source.lastError],
    ['href', topic.href],
  ].filter(([, value]) => value);
  fill(
    heading,
    h('h2', { 'data-testid': 'topic-title' }, String(topic.name ?? topic.id)),
    h('dl', { class: 'facts' }, facts.map(([name, value]) => [h('dt', {}, name), h('dd', {}, h('code', { class: 'wrap' }, String(value)))])),
  );
  const broker = sourceBroker(topic.source);
  if (broker === 'poll' || topic.keepState) void showStateCount(heading.querySelector('dl'), topic.id);
  else if (broker) void showSourceLag(heading.querySelector('dl'), broker, topic.source[broker]);
}

/** What a topic's source reads from: `poll` for a poll source (an HTTP API), else the broker (kafka, nats, amqp, mqtt), its one attribute besides format. */
function sourceBroker(source) {
  if (!source || typeof source !== 'object') return undefined;
  return 'poll' in source ? 'poll' : Object.keys(source).find((key) => key !== 'format');
}

/** A topic's source as shown: `<broker>:<name> (<format>)`, e.g. `nats:network.alarms (tmf)`; a poll source as `poll <url> every <interval>`. */
function sourceText(source) {
  const broker = sourceBroker(source);
  if (broker === 'poll') return `poll ${source.poll} every ${source.interval}${source.resourceType ? ` (${source.resourceType})` : ''}`;
  return broker && `${broker}:${source[broker]} (${source.format ?? 'tmf'})`;
}

/** A topic that keeps latest states (a poll source, keepState): how many resources it holds (GET .../state). */
async function showStateCount(facts, topicId) {
  try {
    const res = await request(`/topic/${seg(topicId)}/state`, { query: { limit: 1, fields: 'id' } });
    facts.append(h('dt', {}, 'resources'), h('dd', { 'data-testid': 'state-count' }, `${res.total ?? 0} latest states`));
  } catch {
    // The count is a hint: a failed request leaves it out.
  }
}

/** A topic that reads a broker: its consumer lag in this hub process, as /ready reports it (the broker's bridge; MQTT tells none). */
async function showSourceLag(facts, broker, name) {
  try {
    const ready = await (await fetch('/ready')).json();
    const bridge = ready[broker];
    const lag = bridge?.lag?.[name];
    const shown = lag !== undefined ? `${lag} records` : bridge ? `not reported by this process (${bridge.sources})` : `not read by this process (no ${broker} bridge)`;
    facts.append(h('dt', {}, 'consumer lag'), h('dd', { 'data-testid': 'source-lag' }, shown));
  } catch {
    // The lag is a hint: a failed /ready leaves it out.
  }
}

async function selectTopic(id) {
  let topic = id ? topics.get(id) : undefined;
  if (id && !topic) {
    // Not among the loaded topics (a link, or beyond the first page): ask for it, once.
    try {
      topic = (await request(`/topic/${seg(id)}`)).body;
    } catch (err) {
      report(err, `Topic ${id}`);
      id = undefined;
    }
  }
  view.topic = id;
  writeHash();
  for (const button of topicList.querySelectorAll('[data-topic-id]')) {
    button.setAttribute('aria-current', String(button.dataset.topicId === id));
  }
  renderHeading(topic);
  hubsView.select(id);
  logView.select(id);
  tailView.select(id);
}

$('topics-refresh').addEventListener('click', () => guard(() => loadTopics(), 'Topics'));
$('topics-more').addEventListener('click', () => guard(() => loadTopics(true), 'Topics'));

// The API key: kept in sessionStorage (this tab only) and sent as a Bearer token.
$('key-form').addEventListener('submit', (e) => {
  e.preventDefault();
  setApiKey($('api-key').value.trim());
  $('api-key').value = '';
  reloadAll();
});
$('api-key-clear').addEventListener('click', () => {
  setApiKey('');
  reloadAll();
});
errorBanner.querySelector('button').addEventListener('click', () => {
  errorBanner.hidden = true;
});

function renderKeyState() {
  $('api-key').placeholder = getApiKey() ? 'a key is set' : 'none';
  $('api-key-clear').hidden = !getApiKey();
}

/** Loads the topics; with none selected yet, selects the one of the link, or the only one there is. */
async function start() {
  await loadTopics();
  if (view.topic) return;
  const first = initial.topic ?? (topics.size === 1 ? [...topics.keys()][0] : undefined);
  if (first) await selectTopic(first);
}

function reloadAll() {
  authBanner.hidden = true;
  errorBanner.hidden = true;
  renderKeyState();
  guard(start, 'Topics');
  if (view.topic) {
    hubsView.reload();
    logView.reload();
    tailView.reconnect();
  }
  inboxView.reload();
  if (view.tab === 'schemas') schemasView.reload();
}

renderKeyState();
renderHeading(undefined);
selectTab(initial.tab);
hubsView.select(undefined);
logView.select(undefined);
tailView.select(undefined);
guard(start, 'Topics');
inboxView.reload();
if (view.tab === 'schemas') schemasView.reload();
