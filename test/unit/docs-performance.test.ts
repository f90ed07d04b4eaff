import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/paths';

/**
 * docs/performance.md leads with the latest full benchmark run, and the README quotes it: both are
 * held to bench/results/latest.json, so a new run cannot leave them showing older figures.
 */
const latest = JSON.parse(readFileSync(join(PROJECT_ROOT, 'bench', 'results', 'latest.json'), 'utf8'));
const page = readFileSync(join(PROJECT_ROOT, 'docs', 'performance.md'), 'utf8');
const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');

/** As the tables write numbers: whole, with thousands separators. */
const whole = (n: number): string => Math.round(n).toLocaleString('en-US');
/** One decimal, for latencies in milliseconds. */
const tenth = (n: number): string => n.toFixed(1);
/** A ratio as a whole percentage. */
const percent = (ratio: number): string => `${Math.round(ratio * 100)}%`;
/** The run's time as the pages name it: `2026-12-01 19:33 UTC`. */
const runTime = (iso: string): string => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

/** The section from its heading to the next heading of the same or a higher level. */
function section(markdown: string, heading: string): string {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line === heading);
  if (start < 0) return '';
  const level = heading.indexOf(' ');
  const end = lines.findIndex((line, i) => i > start && /^#+ /.test(line) && line.indexOf(' ') <= level);
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

/** The row of a Markdown table whose first cell starts with `label`. */
const rowOf = (table: string, label: string): string | undefined => table.split('\n').find((line) => line.startsWith(`| ${label}`));

describe('number formats', () => {
  it.each([
    [whole(20234.97), '20,235'],
    [whole(987.64), '988'],
    [tenth(58.457), '58.5'],
    [tenth(1.039), '1.0'],
    [percent(0.18077), '18%'],
    [percent(0.0488), '5%'],
    [runTime('2026-12-01T19:33:39.972Z'), '2026-12-01 19:33 UTC'],
  ])('should write %s as %s', (written, expected) => {
    expect(written).toBe(expected);
  });
});

describe('section', () => {
  it('should end a section at the next heading of the same level, not at a deeper one', () => {
    const text = section('# P\n## A\na\n### A1\nb\n## B\nc', '## A');
    expect(text).toBe('## A\na\n### A1\nb');
  });
});

describe('docs/performance.md', () => {
  const lead = section(page, '## Latest results');
  const memory = latest.stores.memory;

  it('should lead with the latest results', () => {
    expect(page.split('\n').find((line) => line.startsWith('## '))).toBe('## Latest results');
  });

  it('should name the run of bench/results/latest.json: its time and machine', () => {
    expect(latest.quick).toBe(false);
    expect(lead).toContain(runTime(latest.date));
    expect(lead).toContain(`${latest.machine.cpus} vCPUs (${latest.machine.model}), ${latest.machine.memoryGB} GB`);
    expect(lead).toContain(`Node ${latest.machine.node}`);
  });

  it.each([
    ['raw: bare Node server', () => [whole(latest.raw.serverPerSecond)]],
    ['raw: bare undici client', () => [whole(latest.raw.clientPerSecond)]],
    ['ingest, 0 hubs', () => [whole(memory.ingest.hubs0.perSecond), percent(memory.ingest.hubs0.ratioToRawServer)]],
    ['ingest, 10 hubs', () => [whole(memory.ingest.hubs10.perSecond), percent(memory.ingest.hubs10.ratioToRawServer)]],
    ['ingest, TMF622 schema', () => [`${whole(memory.ingestSchema.off.perSecond)} / ${whole(memory.ingestSchema.enforce.perSecond)}`]],
    ['fan-out, 1 hub ', () => [whole(memory.fanout.hubs1.perSecond), percent(memory.fanout.hubs1.ratioToRawClient)]],
    ['fan-out, 100 hubs', () => [whole(memory.fanout.hubs100.perSecond), percent(memory.fanout.hubs100.ratioToRawClient)]],
    ['fan-out, 1,000 hubs', () => [whole(memory.fanout.hubs1000.perSecond), percent(memory.fanout.hubs1000.ratioToRawClient)]],
    ['fan-out to Kafka', () => [whole(memory.kafkaFanout.perSecond)]],
    ['latency, 500 events/s', () => [`${tenth(memory.latency.p50ms)} / ${tenth(memory.latency.p99ms)} ms`]],
    ['same, 1 failing', () => [`${tenth(memory.latencyFaulty.p50ms)} / ${tenth(memory.latencyFaulty.p99ms)} ms`]],
    ['RSS after 10,000 hubs', () => [`${whole(memory.memory.rssAfterEventsMB)} MB`]],
    // No drain rate when delivery kept pace (less than a second's worth left at the end of the load).
    ['saturation, 10 hubs', () => [`${whole(memory.saturation.deliveriesDuringLoadPerSecond)} / ${memory.saturation.drainPerSecond === undefined ? 'none (kept pace)' : whole(memory.saturation.drainPerSecond)}`, percent(memory.saturation.duringVsDrain)]],
    ['saturation: accepted', () => [whole(memory.saturation.publishPerSecond), `${whole(memory.saturation.peakRssMB)} MB`]],
    ['soak', () => [`${whole(memory.soak.rssFromMB)} / ${whole(memory.soak.rssEndMB)} MB`, percent(memory.soak.growth).replace(/^/, '+')]],
  ])('should show the latest "%s" figures', (label, figures) => {
    const row = rowOf(lead, label);
    expect(row).toBeDefined();
    for (const figure of figures()) expect(row).toContain(figure);
  });
});

describe('the README', () => {
  const summary = section(readme, '## Performance');
  const memory = latest.stores.memory;

  it('should quote the latest run, and link to the page that explains it', () => {
    expect(summary).toContain(runTime(latest.date));
    expect(summary).toContain('](docs/performance.md)');
    for (const figure of [
      `${whole(memory.ingest.hubs0.perSecond)} events/s`,
      `${whole(memory.fanout.hubs100.perSecond)} deliveries/s`,
      `p50 ${tenth(memory.latency.p50ms)} ms, p99 ${tenth(memory.latency.p99ms)} ms`,
      `${whole(memory.memory.rssAfterEventsMB)} MB`,
    ]) {
      expect(summary).toContain(figure);
    }
  });
});
