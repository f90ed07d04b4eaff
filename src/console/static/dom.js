// DOM helpers. Everything the API returns is untrusted (notifications come from anywhere), so
// content only ever enters the page as text nodes or attribute values, never as markup.

/**
 * h('button', { class: 'x', 'data-testid': 'y', onclick: fn }, 'text', otherNode)
 * Attributes whose value is null, undefined or false are left out; `true` sets an empty attribute.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2), value);
    } else if (name === 'value' && 'value' in el) {
      el.value = String(value);
    } else {
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces the children of `el`. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A timestamp shown in local time, with the exact ISO value as a tooltip. */
export function time(iso) {
  if (!iso) return h('span', { class: 'muted' }, '-');
  const date = new Date(iso);
  const text = Number.isNaN(date.getTime()) ? String(iso) : date.toLocaleString();
  return h('time', { datetime: String(iso), title: String(iso) }, text);
}

/** A collapsible, pretty-printed JSON document. */
export function jsonBlock(value, summary = 'JSON', open = false) {
  let text;
  try {
    text = JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    text = String(value);
  }
  return h('details', { class: 'json', open }, h('summary', {}, summary), h('pre', {}, text));
}

export function statusPill(status) {
  return h('span', { class: `pill pill-${String(status).replace(/[^a-z]/g, '')}`, 'data-testid': 'status' }, String(status));
}

export function empty(text) {
  return h('p', { class: 'muted empty' }, text);
}
