import type { Config } from './config-types';
import { byteSize, duration, integer, type Parser } from './parsers';

type PollKey = 'pollTimeoutMs' | 'pollMaxBytes' | 'pollMaxResources' | 'pollConcurrency';

/**
 * The rows of CONFIG_TABLE for topics whose `source` polls an HTTP API (issue 28, docs/sources.md),
 * kept apart so that the table's subjects can grow without one file passing the size limit.
 */
export const POLL_CONFIG_TABLE: { [K in PollKey]: { env: string; parser: Parser<Config[K]>; fallback: Config[K]; help: string } } = {
  pollTimeoutMs: {
    env: 'HUB_POLL_TIMEOUT',
    parser: duration(100),
    fallback: 10_000,
    help: 'How long one request of a poll source may take, headers and body (each page of a list)',
  },
  pollMaxBytes: {
    env: 'HUB_POLL_MAX_BYTES',
    parser: byteSize,
    fallback: 10 * 1024 * 1024,
    help: 'Largest answer body a poll source may send per request; a larger one fails the poll (recorded on the topic)',
  },
  pollMaxResources: {
    env: 'HUB_POLL_MAX_RESOURCES',
    parser: integer(1, 10_000_000),
    fallback: 100_000,
    help: 'Resources one poll of a list reads at most; a longer list fails the poll (recorded on the topic)',
  },
  pollConcurrency: {
    env: 'HUB_POLL_CONCURRENCY',
    parser: integer(1, 1000),
    fallback: 4,
    help: 'Poll sources a delivering process polls at once',
  },
};
