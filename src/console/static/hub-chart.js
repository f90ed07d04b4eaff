// A hub's last hour as a small SVG drawn in the page (no library, no CDN): delivered and failed
// attempts per minute on top, p50 and p99 attempt duration below. Every bucket is a point, with its
// numbers in a tooltip; values enter the SVG as attributes and text nodes only.
const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 240;
const COUNTS_HEIGHT = 40;
const DURATION_HEIGHT = 24;
const GAP = 6;

function el(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** One series as a polyline with a point per bucket; y grows downwards from `top`. */
function series(points, value, max, top, height, name) {
  const step = points.length > 1 ? WIDTH / (points.length - 1) : 0;
  const xy = points.map((p, i) => [i * step, top + height - (max > 0 ? (value(p) ?? 0) / max : 0) * height]);
  const group = el('g', { class: `series ${name}`, 'data-series': name });
  group.append(el('polyline', { points: xy.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' '), fill: 'none' }));
  xy.forEach(([x, y], i) => {
    const p = points[i];
    const dot = el('circle', { cx: x.toFixed(1), cy: y.toFixed(1), r: 1.6, 'data-testid': 'chart-point', 'data-series': name, 'data-value': value(p) ?? '' });
    dot.append(el('title', {}, `${p.at}: ${p.delivered} delivered, ${p.failed} failed${p.p50Ms !== undefined ? `, p50 ${p.p50Ms} ms, p99 ${p.p99Ms} ms` : ''}`));
    group.append(dot);
  });
  return group;
}

/** The chart of a HubStats answer (GET .../hub/{hubId}/stats). */
export function hubChart(stats) {
  const points = stats.points ?? [];
  const countMax = Math.max(1, ...points.map((p) => Math.max(p.delivered, p.failed)));
  const durationMax = Math.max(1, ...points.map((p) => p.p99Ms ?? 0));
  const durationTop = COUNTS_HEIGHT + GAP;
  const svg = el('svg', {
    class: 'hub-chart',
    viewBox: `-2 -2 ${WIDTH + 4} ${durationTop + DURATION_HEIGHT + 4}`,
    width: WIDTH + 4,
    height: durationTop + DURATION_HEIGHT + 4,
    role: 'img',
    'data-testid': 'hub-chart',
    'data-points': points.length,
    'data-delivered': stats.delivered,
    'data-failed': stats.failed,
  });
  svg.append(
    el('title', {}, `Last hour, per minute: ${stats.delivered} delivered, ${stats.failed} failed attempts; below, p50 and p99 duration (up to ${durationMax} ms)`),
    el('line', { x1: 0, y1: COUNTS_HEIGHT, x2: WIDTH, y2: COUNTS_HEIGHT, class: 'axis' }),
    el('line', { x1: 0, y1: durationTop + DURATION_HEIGHT, x2: WIDTH, y2: durationTop + DURATION_HEIGHT, class: 'axis' }),
    series(points, (p) => p.delivered, countMax, 0, COUNTS_HEIGHT, 'delivered'),
    series(points, (p) => p.failed, countMax, 0, COUNTS_HEIGHT, 'failed'),
    series(points, (p) => p.p50Ms, durationMax, durationTop, DURATION_HEIGHT, 'p50'),
    series(points, (p) => p.p99Ms, durationMax, durationTop, DURATION_HEIGHT, 'p99'),
  );
  return svg;
}
