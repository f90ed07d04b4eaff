// Event schemas: the registered event types, the versions of one, a version's JSON Schema, and the
// latest validation failures this hub process saw (GET /schemaValidationFailure).
import { request, seg } from './api.js';
import { empty, fill, h, time } from './dom.js';

const TYPE_PAGE = 1000;
const FAILURES = 20;

function failureItem(failure) {
  return h(
    'li',
    { class: 'event', 'data-testid': 'schema-failure' },
    h(
      'div',
      { class: 'event-head' },
      h('strong', {}, String(failure.eventType ?? '(no eventType)')),
      ' ',
      h('span', { class: `pill pill-${failure.outcome === 'refused' ? 'dead' : 'pending'}` }, `${failure.mode}: ${failure.outcome}`),
      ' ',
      time(failure.at),
      failure.eventId ? [' ', h('code', { title: 'eventId' }, String(failure.eventId))] : null,
    ),
    h('p', { class: 'small' }, h('code', { 'data-testid': 'schema-failure-path' }, String(failure.path)), ` (${failure.rule}) `, String(failure.message)),
  );
}

export function createSchemasView(ctx) {
  const typeList = document.getElementById('schema-types');
  const summary = document.getElementById('schemas-summary');
  const versionSelect = document.getElementById('schema-version');
  const detail = document.getElementById('schema-detail');
  const failureList = document.getElementById('schema-failures');
  let selected;

  async function loadTypes() {
    const res = await request('/schema', { query: { limit: TYPE_PAGE } });
    const types = Array.isArray(res.body) ? res.body : [];
    summary.textContent = `${res.total ?? types.length} event type${types.length === 1 ? '' : 's'}`;
    fill(
      typeList,
      types.length
        ? types.map((t) =>
            h(
              'li',
              {},
              h(
                'button',
                { type: 'button', class: 'topic', 'data-testid': 'schema-type', 'aria-current': t.eventType === selected ? 'true' : false, onclick: () => ctx.guard(() => open(t.eventType), 'Schema') },
                h('span', { class: 'topic-name' }, String(t.eventType)),
                h('span', { class: 'muted small' }, `latest version ${t.latestVersion ?? '-'}`),
              ),
            ),
          )
        : h('li', {}, empty('No schemas yet. Register one with POST /schema/{eventType} or import an API document with POST /schema/import.')),
    );
  }

  async function open(eventType, version) {
    selected = eventType;
    for (const button of typeList.querySelectorAll('[data-testid="schema-type"]')) {
      button.setAttribute('aria-current', String(button.querySelector('.topic-name').textContent === eventType));
    }
    const versions = (await request(`/schema/${seg(eventType)}`, { query: { fields: 'version,createdAt,comment', limit: TYPE_PAGE } })).body ?? [];
    fill(versionSelect, versions.map((v) => h('option', { value: String(v.version) }, `version ${v.version} (${new Date(v.createdAt).toLocaleString()})`)));
    const shown = version ?? String(versions[versions.length - 1]?.version ?? 'latest');
    versionSelect.value = shown;
    const one = (await request(`/schema/${seg(eventType)}/${seg(shown)}`)).body;
    fill(
      detail,
      h('h3', { 'data-testid': 'schema-title' }, `${one.eventType} version ${one.version}`),
      one.comment ? h('p', { class: 'muted small' }, String(one.comment)) : null,
      h('pre', { class: 'schema-json', 'data-testid': 'schema-json' }, JSON.stringify(one.schema, null, 2)),
    );
    await loadFailures();
  }

  async function loadFailures() {
    const query = { limit: FAILURES, ...(selected ? { eventType: selected } : {}) };
    const res = await request('/schemaValidationFailure', { query });
    const failures = Array.isArray(res.body) ? res.body : [];
    fill(failureList, failures.length ? failures.map(failureItem) : empty(selected ? `No validation failure of ${selected} seen by this hub process.` : 'No validation failure seen by this hub process.'));
  }

  versionSelect.addEventListener('change', () => selected && ctx.guard(() => open(selected, versionSelect.value), 'Schema'));
  document.getElementById('schemas-refresh').addEventListener('click', () => ctx.guard(reload, 'Schemas'));

  async function reload() {
    await loadTypes();
    if (selected) await open(selected, versionSelect.value || undefined);
    else await loadFailures();
  }

  return { reload: () => ctx.guard(reload, 'Schemas') };
}

