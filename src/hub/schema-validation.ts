import { randomUUID } from 'node:crypto';
import type { SchemaValidationMode } from '../config';
import { SCHEMA_VALIDATION_MODES } from '../config';
import { BadRequestError } from '../errors';
import { matchesFilter } from '../query/match-filter';
import { projectFields } from '../query/project-fields';
import type { ListQuery, Page, Resource } from '../store/store-types';
import { compileEventSchema, type EventCheck } from './compile-event-schema';
import type { SchemaRegistryService } from './schema-registry-service';

export const FAILURE_TYPE = 'SchemaValidationFailure';

/** Counts the events that failed validation (the metrics subscribe). */
export type FailureObserver = (mode: Exclude<SchemaValidationMode, 'off'>) => void;

export interface SchemaValidationOptions {
  /** The mode of topics that set no schemaValidation (HUB_SCHEMA_VALIDATION). */
  defaultMode: SchemaValidationMode;
  /** How long the latest version read for an event type is trusted (HUB_SCHEMA_CACHE_TTL). */
  cacheTtlMs: number;
  /** Failures kept in memory for the console; the oldest go first. */
  failuresKept?: number;
  /** Event types whose validator is cached at once; the least recently refreshed go first. */
  cacheSize?: number;
}

interface CachedSchema {
  checkedAt: number;
  version?: number;
  check?: EventCheck;
}

const MAX_HEADER_LENGTH = 512;

/**
 * Validation at publish: the topic's `schemaValidation` (else the configured default) decides what a
 * non-conforming event gets. Validators are compiled once per schema version and cached per event
 * type; a registration or deletion through this process drops the entry at once, and schemas
 * registered through another process (on MongoDB) are seen within `cacheTtlMs`, when the cached entry
 * next asks the store for the latest version number (one small read) and recompiles only if it changed.
 */
export class SchemaValidation {
  private readonly cache = new Map<string, CachedSchema>();
  private readonly loading = new Map<string, Promise<CachedSchema>>();
  private readonly failures: Resource[] = [];
  private readonly observers = new Set<FailureObserver>();

  constructor(
    private readonly registry: Pick<SchemaRegistryService, 'latestVersionNumber' | 'get' | 'onChange'>,
    private readonly options: SchemaValidationOptions,
    private readonly now: () => number = Date.now,
  ) {
    registry.onChange((eventType) => this.cache.delete(eventType));
  }

  subscribe(observer: FailureObserver): void {
    this.observers.add(observer);
  }

  /** The topic's mode: its own schemaValidation attribute, else the configured default. */
  modeOf(topic: Resource): SchemaValidationMode {
    const own = topic.schemaValidation;
    return SCHEMA_VALIDATION_MODES.includes(own as SchemaValidationMode) ? (own as SchemaValidationMode) : this.options.defaultMode;
  }

  /**
   * Checks an event about to be published to `topic`. Returns the warning to answer with (warn mode),
   * undefined when the event passes; throws BadRequestError (enforce and strict modes).
   */
  async check(topic: Resource, event: Record<string, unknown>): Promise<string | undefined> {
    const mode = this.modeOf(topic);
    if (mode === 'off') return undefined;
    const eventType = typeof event.eventType === 'string' ? event.eventType : undefined;
    const found = eventType === undefined ? undefined : this.schemaOf(eventType);
    const cached = found instanceof Promise ? await found : found;
    if (!cached?.check) {
      if (mode !== 'strict') return undefined;
      const message = eventType === undefined
        ? 'The event has no eventType, and the topic validates strictly'
        : `No schema is registered for eventType ${eventType}, and the topic validates strictly`;
      this.failed(mode, topic, event, { path: '$.eventType', rule: 'schema', message });
      throw new BadRequestError(message, 'Schema violation');
    }
    const { id: _serverAssigned, ...candidate } = event;
    const violation = cached.check(candidate);
    if (!violation) return undefined;
    const message = `The event does not conform to the schema of ${eventType} version ${cached.version}: ${violation.message}`;
    this.failed(mode, topic, event, { ...violation, message, version: cached.version });
    if (mode === 'warn') return headerSafe(message);
    throw new BadRequestError(message, 'Schema violation');
  }

  /** The latest failures this process saw, newest first, filtered and paged like any list. */
  listFailures(query: ListQuery): Page {
    const matching = this.failures.filter((f) => matchesFilter(f, query.filter)).reverse();
    return {
      items: matching.slice(query.offset, query.offset + query.limit).map((f) => projectFields(structuredClone(f), query.fields)),
      total: matching.length,
    };
  }

  /** The cached entry as it is (no promise, no await: the hot path of every validated publish), else its load. */
  private schemaOf(eventType: string): CachedSchema | Promise<CachedSchema> {
    const cached = this.cache.get(eventType);
    if (cached && this.now() - cached.checkedAt < this.options.cacheTtlMs) return cached;
    let pending = this.loading.get(eventType);
    if (!pending) {
      pending = this.load(eventType, cached).finally(() => this.loading.delete(eventType));
      this.loading.set(eventType, pending);
    }
    return pending;
  }

  private async load(eventType: string, previous: CachedSchema | undefined): Promise<CachedSchema> {
    const checkedAt = this.now();
    const version = await this.registry.latestVersionNumber(eventType);
    let entry: CachedSchema;
    if (version === undefined) entry = { checkedAt };
    else if (previous?.version === version && previous.check) entry = { ...previous, checkedAt };
    else entry = { checkedAt, version, check: compileEventSchema((await this.registry.get(eventType, String(version))).schema) };
    this.cache.delete(eventType);
    this.cache.set(eventType, entry);
    const limit = this.options.cacheSize ?? 10_000;
    if (this.cache.size > limit) this.cache.delete(this.cache.keys().next().value as string);
    return entry;
  }

  private failed(
    mode: Exclude<SchemaValidationMode, 'off'>,
    topic: Resource,
    event: Record<string, unknown>,
    violation: { path: string; rule: string; message: string; version?: number },
  ): void {
    this.failures.push({
      id: randomUUID(),
      at: new Date(this.now()).toISOString(),
      topicId: topic.id,
      ...(typeof event.eventType === 'string' ? { eventType: event.eventType } : {}),
      ...(event.eventId !== undefined ? { eventId: String(event.eventId) } : {}),
      ...(violation.version !== undefined ? { version: violation.version } : {}),
      mode,
      outcome: mode === 'warn' ? 'accepted' : 'refused',
      path: violation.path,
      rule: violation.rule,
      message: violation.message,
      '@type': FAILURE_TYPE,
    });
    const kept = this.options.failuresKept ?? 100;
    if (this.failures.length > kept) this.failures.splice(0, this.failures.length - kept);
    for (const observer of this.observers) {
      try {
        observer(mode);
      } catch {
        // A broken observer must not change what publishing answers.
      }
    }
  }
}

/** A header value: printable ASCII only (HTTP header values cannot carry the rest safely), bounded. */
function headerSafe(text: string): string {
  const ascii = text.replace(/[^\x20-\x7e]/g, '?');
  return ascii.length > MAX_HEADER_LENGTH ? `${ascii.slice(0, MAX_HEADER_LENGTH - 3)}...` : ascii;
}
