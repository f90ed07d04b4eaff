import { formatTraceparent, newSpanId, newTraceId, parseTraceparent } from '../../src/tracing/trace-context';
import { ID_ONLY_TRACER } from '../../src/tracing/tracer';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';

describe('parseTraceparent (W3C Trace Context)', () => {
  it.each<[string, string | undefined, ReturnType<typeof parseTraceparent>]>([
    ['a version-00 header', `00-${TRACE}-${SPAN}-01`, { traceId: TRACE, spanId: SPAN, flags: '01' }],
    ['an unsampled one', `00-${TRACE}-${SPAN}-00`, { traceId: TRACE, spanId: SPAN, flags: '00' }],
    ['surrounding whitespace', `  00-${TRACE}-${SPAN}-01 `, { traceId: TRACE, spanId: SPAN, flags: '01' }],
    ['a later version with more fields', `cc-${TRACE}-${SPAN}-01-what-the-future-holds`, { traceId: TRACE, spanId: SPAN, flags: '01' }],
    ['absent', undefined, undefined],
    ['empty', '', undefined],
    ['version ff', `ff-${TRACE}-${SPAN}-01`, undefined],
    ['version 00 with extra fields', `00-${TRACE}-${SPAN}-01-extra`, undefined],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${SPAN}-01`, undefined],
    ['an all-zero span id', `00-${TRACE}-${'0'.repeat(16)}-01`, undefined],
    ['upper-case hex', `00-${TRACE.toUpperCase()}-${SPAN}-01`, undefined],
    ['a short trace id', `00-${TRACE.slice(1)}-${SPAN}-01`, undefined],
    ['a short span id', `00-${TRACE}-${SPAN.slice(1)}-01`, undefined],
    ['non-hex flags', `00-${TRACE}-${SPAN}-0x`, undefined],
    ['garbage', 'not a traceparent', undefined],
  ])('should read %s', (_case, header, expected) => {
    expect(parseTraceparent(header)).toEqual(expected);
  });

  it('should keep a tracestate only beside a valid traceparent, and not an oversized one', () => {
    expect(parseTraceparent(`00-${TRACE}-${SPAN}-01`, ' rojo=00f067aa0ba902b7,congo=t61rcWkgMzE ')?.tracestate).toBe('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE');
    expect(parseTraceparent('nope', 'rojo=1')).toBeUndefined();
    expect(parseTraceparent(`00-${TRACE}-${SPAN}-01`, `a=${'x'.repeat(600)}`)?.tracestate).toBeUndefined();
  });

  it('should write the version-00 header back', () => {
    expect(formatTraceparent({ traceId: TRACE, spanId: SPAN, flags: '01' })).toBe(`00-${TRACE}-${SPAN}-01`);
  });

  it('should make ids of the right length, in lower-case hex, different each time', () => {
    expect(newTraceId()).toMatch(/^[0-9a-f]{32}$/);
    expect(newSpanId()).toMatch(/^[0-9a-f]{16}$/);
    expect(newTraceId()).not.toBe(newTraceId());
  });
});

describe('ID_ONLY_TRACER', () => {
  it('should continue a parent trace with a new span id, keeping its flags and tracestate', () => {
    const span = ID_ONLY_TRACER.startSpan('deliver', 'client', { traceId: TRACE, spanId: SPAN, flags: '00', tracestate: 'a=1' });
    expect(span.context).toEqual({ traceId: TRACE, spanId: expect.stringMatching(/^[0-9a-f]{16}$/), flags: '00', tracestate: 'a=1' });
    expect(span.context.spanId).not.toBe(SPAN);
  });

  it('should start a sampled trace without a parent', () => {
    const span = ID_ONLY_TRACER.startSpan('publish', 'producer', undefined);
    expect(span.context).toEqual({ traceId: expect.stringMatching(/^[0-9a-f]{32}$/), spanId: expect.stringMatching(/^[0-9a-f]{16}$/), flags: '01' });
  });
});
