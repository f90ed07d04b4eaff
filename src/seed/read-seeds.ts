import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, relative } from 'node:path';
import { TmfError } from '../errors';
import { compileQuery } from '../query/hub-query';
import { PROJECT_ROOT } from '../paths';
import { HUB_URL_PLACEHOLDER, SeedFileError, type SeedEvent, type SeedFile, type SeedHub, type SeedSchema, type SeedTopic } from './seed-file';

/** The sample data shipped with the project. */
export const SEEDS_DIR = join(PROJECT_ROOT, 'seeds');

const TOP_LEVEL = new Set(['description', 'schemas', 'topics', 'hubs', 'events']);
const SERVER_ASSIGNED = ['id', 'href'];

/** Reads and validates every *.json file of `dir`, in name order. Throws SeedFileError naming the file and the problem. */
export function readSeeds(dir: string = SEEDS_DIR): SeedFile[] {
  if (!existsSync(dir)) throw new SeedFileError(shown(dir), 'the seed directory does not exist');
  const names = readdirSync(dir).filter((name) => name.endsWith('.json')).sort();
  if (names.length === 0) throw new SeedFileError(shown(dir), 'the seed directory has no *.json files');
  return names.map((name) => readSeedFile(join(dir, name)));
}

/** Reads and validates one seed file. */
export function readSeedFile(path: string): SeedFile {
  const file = shown(path);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const problem = err instanceof SyntaxError ? `invalid JSON: ${err.message}` : `cannot be read: ${(err as Error).message}`;
    throw new SeedFileError(file, problem);
  }
  try {
    return { file, ...validate(data, dirname(path)) };
  } catch (err) {
    if (err instanceof Problem) throw new SeedFileError(file, err.message);
    throw err;
  }
}

class Problem extends Error {}

function validate(data: unknown, dir: string): Omit<SeedFile, 'file'> {
  if (!isObject(data)) throw new Problem('must hold a JSON object with "topics", "hubs" and "events"');
  const unknown = Object.keys(data).filter((key) => !TOP_LEVEL.has(key));
  if (unknown.length) throw new Problem(`unknown attribute ${quote(unknown[0])} (allowed: ${[...TOP_LEVEL].join(', ')})`);
  if (data.description !== undefined && typeof data.description !== 'string') throw new Problem('"description" must be a string');

  const schemas = list(data, 'schemas', false).map((item, i) => schema(item, `schemas[${i}]`, dir));
  const topics = list(data, 'topics', true).map((item, i) => topic(item, `topics[${i}]`));
  const names = new Set<string>();
  topics.forEach((t, i) => {
    if (names.has(t.name)) throw new Problem(`topics[${i}].name: the topic ${quote(t.name)} is defined twice`);
    names.add(t.name);
  });
  const hubs = list(data, 'hubs', false).map((item, i) => hub(item, `hubs[${i}]`, names));
  const events = list(data, 'events', false).map((item, i) => event(item, `events[${i}]`, names));
  const eventIds = new Set<string>();
  events.forEach((e, i) => {
    const key = `${e.topic}\u0000${e.eventId}`;
    if (eventIds.has(key)) throw new Problem(`events[${i}].eventId: ${quote(e.eventId)} is used twice in topic ${quote(e.topic)}`);
    eventIds.add(key);
  });
  return { ...(data.description !== undefined ? { description: data.description as string } : {}), schemas, topics, hubs, events };
}

function list(data: Record<string, unknown>, key: string, required: boolean): unknown[] {
  const value = data[key];
  if (value === undefined && !required) return [];
  if (!Array.isArray(value) || (required && value.length === 0)) {
    throw new Problem(`${quote(key)} must be ${required ? 'a non-empty' : 'an'} array`);
  }
  return value;
}

/** A path inside the seed directory to a TM Forum API document (JSON or YAML); read now, imported when loading. */
function schema(item: unknown, where: string, dir: string): SeedSchema {
  if (typeof item !== 'string' || item.trim() === '') throw new Problem(`${where}: must be the path of an API document, relative to the seed directory`);
  const path = normalize(item);
  if (isAbsolute(path) || path.startsWith('..')) throw new Problem(`${where}: ${quote(item)} must stay inside the seed directory`);
  try {
    return { path: item, text: readFileSync(join(dir, path), 'utf8') };
  } catch (err) {
    throw new Problem(`${where}: ${quote(item)} cannot be read: ${(err as Error).message}`);
  }
}

function topic(item: unknown, where: string): SeedTopic {
  const t = resource(item, where);
  text(t, 'name', where);
  query(t, 'headerQuery', where);
  query(t, 'contentQuery', where);
  return t as SeedTopic;
}

function hub(item: unknown, where: string, topics: ReadonlySet<string>): SeedHub {
  const h = resource(item, where);
  topicRef(h, where, topics);
  const callback = text(h, 'callback', where);
  const placeholders = callback.match(/\{[^}]*\}/g) ?? [];
  const stray = placeholders.find((p) => p !== HUB_URL_PLACEHOLDER);
  if (stray) throw new Problem(`${where}.callback: unknown placeholder ${stray} (only ${HUB_URL_PLACEHOLDER} is replaced)`);
  let url: URL | undefined;
  try {
    url = new URL(callback.split(HUB_URL_PLACEHOLDER).join('http://127.0.0.1:8080'));
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new Problem(`${where}.callback: must be an absolute http(s) URL or start with ${HUB_URL_PLACEHOLDER}, got ${quote(callback)}`);
  }
  query(h, 'query', where);
  if (h.secret !== undefined && (typeof h.secret !== 'string' || h.secret.length < 16 || h.secret.length > 256)) {
    throw new Problem(`${where}.secret: must be a string of 16 to 256 characters`);
  }
  return h as SeedHub;
}

function event(item: unknown, where: string, topics: ReadonlySet<string>): SeedEvent {
  const e = resource(item, where);
  topicRef(e, where, topics);
  text(e, 'eventId', where, 'it is what makes loading the seeds twice create nothing new');
  text(e, 'eventType', where);
  if (e.event !== undefined && !isObject(e.event)) throw new Problem(`${where}.event: must be an object`);
  for (const key of ['eventTime', 'timeOcurred', 'timeOccurred']) {
    if (e[key] !== undefined && (typeof e[key] !== 'string' || Number.isNaN(Date.parse(e[key] as string)))) {
      throw new Problem(`${where}.${key}: must be an ISO 8601 date-time`);
    }
  }
  return e as SeedEvent;
}

function resource(item: unknown, where: string): Record<string, unknown> {
  if (!isObject(item)) throw new Problem(`${where}: must be an object`);
  const assigned = SERVER_ASSIGNED.find((key) => key in item);
  if (assigned) throw new Problem(`${where}.${assigned}: is assigned by the hub; remove it`);
  return item;
}

function topicRef(item: Record<string, unknown>, where: string, topics: ReadonlySet<string>): void {
  const name = text(item, 'topic', where, 'the name of a topic of this file');
  if (!topics.has(name)) throw new Problem(`${where}.topic: ${quote(name)} is not a topic of this file (topics: ${[...topics].join(', ')})`);
}

function text(item: Record<string, unknown>, key: string, where: string, why?: string): string {
  const value = item[key];
  if (typeof value !== 'string' || value.trim() === '') {
    throw new Problem(`${where}.${key}: must be a non-empty string${why ? ` (${why})` : ''}`);
  }
  return value;
}

function query(item: Record<string, unknown>, key: string, where: string): void {
  const value = item[key];
  if (value === undefined) return;
  if (typeof value !== 'string') throw new Problem(`${where}.${key}: must be a string`);
  try {
    compileQuery(value, key);
  } catch (err) {
    if (err instanceof TmfError) throw new Problem(`${where}.${err.message}`);
    throw err;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function quote(value: string): string {
  return JSON.stringify(value);
}

/** A path as a reader recognises it: relative to the working directory when inside it. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
