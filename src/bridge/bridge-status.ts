import type { SourceStats } from './source-reader';

/** What /ready, /metrics and the console read of one broker bridge. */
export interface BridgeStatus {
  /** Where the bridge connects, credentials redacted (redactUrl). */
  server: string;
  producer: { connected: boolean; acknowledged: number; failed: number };
  /** `lag` by destination read, where the broker tells it (not MQTT). */
  sources: SourceStats & { lag: Record<string, number> };
}

/** Counts of what a bridge produced, kept by its producer. */
export class ProducerCounts {
  connected = false;
  acknowledged = 0;
  failed = 0;

  /** Counts one result (or a batch of `records`); a failure also marks the producer not connected until the next success. */
  count(result: { error?: string }, records = 1): void {
    if (result.error) {
      this.failed += records;
      this.connected = false;
    } else {
      this.acknowledged += records;
      this.connected = true;
    }
  }

  get snapshot(): BridgeStatus['producer'] {
    return { connected: this.connected, acknowledged: this.acknowledged, failed: this.failed };
  }
}

/**
 * What /ready says of a bridge: where it connects, whether the producer is connected, the sources'
 * state and their lag. Reported, never required: while a broker is away its deliveries are retried
 * and the API serves on. Pure.
 */
export function bridgeReadiness(status: BridgeStatus): Record<string, unknown> {
  return {
    server: status.server,
    producer: status.producer.connected ? 'connected' : 'not connected',
    sources: status.sources.state,
    lag: status.sources.lag,
  };
}
