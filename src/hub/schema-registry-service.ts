import { createHash } from 'node:crypto';
import { BadRequestError, ConflictError, NotFoundError, TmfError } from '../errors';
import { DuplicateKeyError } from '../store/store-errors';
import { TOP_LEVEL, type ListQuery, type Page, type Resource, type Stores } from '../store/store-types';
import { compileEventSchema } from './compile-event-schema';
import { parseApiDocument, resolveTmfEvents, type JsonSchema } from './resolve-tmf-events';
import { breakingChanges, canonicalJson } from './schema-compatibility';

export const SCHEMA_TYPE = 'EventSchema';
export const SCHEMA_TYPE_ENTRY = 'EventSchemaType';

/** `backward` (the default): a new version must keep every event the latest accepts valid; `none` skips the check. */
export type Compatibility = 'backward' | 'none';

/** One stored version, as the API shows it (`schema` parsed). */
export interface SchemaVersion extends Resource {
  eventType: string;
  version: number;
  createdAt: string;
  fingerprint: string;
  schema: JsonSchema;
}

export interface RegisterResult {
  /** false when the schema equals the latest version: nothing new was stored. */
  created: boolean;
  version: SchemaVersion;
}

export interface ImportResult {
  source: string;
  created: Array<{ eventType: string; version: number }>;
  unchanged: Array<{ eventType: string; version: number }>;
  refused: Array<{ eventType: string; reason: string }>;
}

/** Told when the versions of an event type change, so cached validators are dropped at once. */
export type SchemaChangeListener = (eventType: string) => void;

const MAX_LISTED_CHANGES = 20;

/**
 * The event schema registry: JSON Schemas stored per eventType in versions 1, 2, ..., in the
 * `schemas` store (scope TOP_LEVEL: one entry per type; scope {eventType}: its versions, id = the
 * version). The schema is stored as JSON text, so that its `$`-keywords never meet the store's own
 * field rules. A new version must be compatible with the latest (see schema-compatibility.ts) unless
 * the caller says `none`; registering the latest schema again stores nothing.
 */
export class SchemaRegistryService {
  private readonly listeners = new Set<SchemaChangeListener>();

  constructor(
    private readonly stores: Pick<Stores, 'schemas'>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  onChange(listener: SchemaChangeListener): void {
    this.listeners.add(listener);
  }

  async register(eventType: string, schema: unknown, compatibility: Compatibility = 'backward', comment?: string): Promise<RegisterResult> {
    if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
      throw new BadRequestError('The schema must be a JSON Schema object', 'Invalid schema');
    }
    compileEventSchema(schema as JsonSchema); // refuses what ajv cannot compile, before anything is stored
    const fingerprint = fingerprintOf(schema);
    const latest = await this.latest(eventType);
    if (latest?.fingerprint === fingerprint) return { created: false, version: latest };
    if (latest && compatibility !== 'none') {
      const changes = breakingChanges(latest.schema, schema as JsonSchema);
      if (changes.length) {
        const listed = changes.slice(0, MAX_LISTED_CHANGES).map((c) => `${c.path}: ${c.change}`);
        if (changes.length > listed.length) listed.push(`and ${changes.length - listed.length} more`);
        throw new ConflictError(
          `The schema is not backward compatible with ${eventType} version ${latest.version} (register with ?compatibility=none to override): ${listed.join('; ')}`,
        );
      }
    }
    await this.stores.schemas.insert(TOP_LEVEL, { id: eventType, eventType, createdAt: this.now().toISOString(), '@type': SCHEMA_TYPE_ENTRY }).catch((err) => {
      if (!(err instanceof DuplicateKeyError)) throw err;
    });
    const version = (latest?.version ?? 0) + 1;
    const stored: Resource = {
      id: String(version),
      eventType,
      version,
      createdAt: this.now().toISOString(),
      fingerprint,
      ...(comment ? { comment } : {}),
      schemaText: JSON.stringify(schema),
      '@type': SCHEMA_TYPE,
    };
    try {
      await this.stores.schemas.insert(eventType, stored);
    } catch (err) {
      if (err instanceof DuplicateKeyError) throw new ConflictError(`Version ${version} of ${eventType} was registered at the same time; retry`);
      throw err;
    }
    this.changed(eventType);
    return { created: true, version: shown(stored) };
  }

  /** Registers every notification schema of a TM Forum API document (JSON or YAML text, or parsed). */
  async import(document: unknown, compatibility: Compatibility = 'backward'): Promise<ImportResult> {
    const doc = typeof document === 'string' ? parseApiDocument(document) : document;
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
      throw new BadRequestError('The body must be a Swagger 2.0 or OpenAPI 3 document (JSON or YAML)', 'Invalid document');
    }
    const resolved = resolveTmfEvents(doc as Record<string, unknown>);
    const result: ImportResult = { source: resolved.source, created: [], unchanged: [], refused: [...resolved.refused] };
    for (const { eventType, schema } of resolved.events) {
      try {
        const { created, version } = await this.register(eventType, schema, compatibility, `Imported from ${resolved.source}`);
        (created ? result.created : result.unchanged).push({ eventType, version: version.version });
      } catch (err) {
        if (!(err instanceof TmfError) || err.status >= 500) throw err;
        result.refused.push({ eventType, reason: err.message });
      }
    }
    return result;
  }

  /** The event types, each with its latest version number. */
  async listTypes(query: ListQuery): Promise<Page> {
    const page = await this.stores.schemas.list(TOP_LEVEL, query);
    const items = await Promise.all(
      page.items.map(async (entry) => {
        const latest = await this.stores.schemas.lastId(entry.id);
        return latest === undefined ? entry : { ...entry, latestVersion: Number(latest) };
      }),
    );
    return { items, total: page.total };
  }

  /** The latest version of every event type (for documents that describe every registered type). */
  async latestOfEveryType(): Promise<SchemaVersion[]> {
    const found: SchemaVersion[] = [];
    for (let offset = 0; ; offset += 1000) {
      const page = await this.stores.schemas.list(TOP_LEVEL, { filter: [], offset, limit: 1000 });
      for (const entry of page.items) {
        const latest = await this.latest(entry.id);
        if (latest) found.push(latest);
      }
      if (page.items.length < 1000) return found;
    }
  }

  async listVersions(eventType: string, query: ListQuery): Promise<Page> {
    await this.assertType(eventType);
    const fields = query.fields?.map((f) => (f === 'schema' || f.startsWith('schema.') ? 'schemaText' : f));
    const page = await this.stores.schemas.list(eventType, { ...query, fields });
    return { items: page.items.map(shown), total: page.total };
  }

  /** One version; `latest` is the newest. */
  async get(eventType: string, version: string): Promise<SchemaVersion> {
    const found = version === 'latest' ? await this.latest(eventType) : await this.version(eventType, version);
    if (!found) throw new NotFoundError(`Event type ${eventType} has no schema${version === 'latest' ? '' : ` version ${version}`}`);
    return found;
  }

  /** The newest version, or undefined when the type has none. */
  async latest(eventType: string): Promise<SchemaVersion | undefined> {
    const id = await this.stores.schemas.lastId(eventType);
    return id === undefined ? undefined : this.version(eventType, id);
  }

  /** The newest version number only (what a cache checks before reusing its compiled validator). */
  async latestVersionNumber(eventType: string): Promise<number | undefined> {
    const id = await this.stores.schemas.lastId(eventType);
    return id === undefined ? undefined : Number(id);
  }

  async deleteType(eventType: string): Promise<void> {
    await this.assertType(eventType);
    // Versions first: a crash half-way leaves a type entry that can be deleted again, never orphaned versions.
    await this.stores.schemas.deleteScope(eventType);
    await this.stores.schemas.delete(TOP_LEVEL, eventType);
    this.changed(eventType);
  }

  private async version(eventType: string, version: string): Promise<SchemaVersion | undefined> {
    const stored = await this.stores.schemas.get(eventType, version);
    return stored && shown(stored);
  }

  private async assertType(eventType: string): Promise<void> {
    if (!(await this.stores.schemas.get(TOP_LEVEL, eventType, ['id']))) throw new NotFoundError(`Event type ${eventType} has no schema`);
  }

  private changed(eventType: string): void {
    for (const listener of this.listeners) listener(eventType);
  }
}

/** Equal for equal schemas whatever their key order: how "registering the same schema again" is recognised. */
export function fingerprintOf(schema: unknown): string {
  return createHash('sha256').update(canonicalJson(schema)).digest('hex');
}

function shown(stored: Resource): SchemaVersion {
  const { schemaText, ...rest } = stored;
  return (typeof schemaText === 'string' ? { ...rest, schema: JSON.parse(schemaText) } : rest) as SchemaVersion;
}
