import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { API_ROOTS } from '../http/api-roots';
import type { OdaArgs } from './oda-args';

/** Where the command writes: the process's streams, or a test's. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
}

type Made = { name: string; topicId: string; origin?: string; hubId?: string; callback?: string; reason?: string; section?: string };
type Component = { name: string; generation: number; publishedEvents: Made[]; subscribedEvents: Made[]; keptTopics: Made[]; unapplied: Made[]; changes?: Record<string, string[]> };

/**
 * `tmf688-hub oda ...` against a running hub: apply a manifest file (its metadata.name names the
 * component; .json is sent as JSON, anything else as YAML), show or delete a component. Prints what
 * the hub made and could not apply; 0 when the hub answered a success, 1 on an error (the TMF
 * Error's message) or when the hub or the file cannot be read.
 */
export async function runOda(args: OdaArgs, output: Output): Promise<number> {
  let request: { name: string; init: RequestInit };
  try {
    request = args.action === 'apply' ? await applyRequest(args.target) : { name: args.target, init: { method: args.action === 'get' ? 'GET' : 'DELETE' } };
  } catch (err) {
    output.err(`oda ${args.action}: ${(err as Error).message}\n`);
    return 1;
  }
  const href = `${args.url}${API_ROOTS[0]}/odaComponent/${encodeURIComponent(request.name)}`;
  const headers = { ...(request.init.headers as Record<string, string>), ...(args.bearer ? { Authorization: `Bearer ${args.bearer}` } : {}) };
  let res: Response;
  try {
    res = await fetch(href, { ...request.init, headers });
  } catch (err) {
    output.err(`oda ${args.action}: cannot reach the hub at ${args.url}: ${(err as Error).message}\n`);
    return 1;
  }
  const body = res.status === 204 ? undefined : await res.json().catch(() => undefined);
  if (!res.ok) {
    const error = body as { reason?: string; message?: string } | undefined;
    output.err(`oda ${args.action}: ${res.status} ${error?.reason ?? res.statusText}: ${error?.message ?? '(no TMF Error in the answer)'}\n`);
    return 1;
  }
  output.out(args.action === 'delete' ? `deleted ${request.name}: the topics and hubs it made are gone\n` : describe(body as Component, res.status));
  return 0;
}

async function applyRequest(file: string): Promise<{ name: string; init: RequestInit }> {
  const text = await readFile(file, 'utf8');
  // JSON is YAML too: one parser finds the name in either.
  const name = (parse(text) as { metadata?: { name?: unknown } } | null)?.metadata?.name;
  if (typeof name !== 'string' || name === '') throw new Error(`${file} has no metadata.name: is it an ODA Component manifest?`);
  const type = file.endsWith('.json') ? 'application/json' : 'application/yaml';
  return { name, init: { method: 'PUT', body: text, headers: { 'Content-Type': type } } };
}

function describe(component: Component, status: number): string {
  const { changes } = component;
  const what = !changes ? 'component' : status === 201 ? 'applied (new)' : Object.values(changes).some((c) => c.length) ? 'applied (changed)' : 'applied (unchanged)';
  const list = (label: string, names: string[] | undefined) => (names?.length ? [`  ${label}: ${names.join(', ')}`] : []);
  return [
    `${component.name}: ${what}, generation ${component.generation}`,
    ...list('topics created', changes?.topicsCreated),
    ...list('topics deleted', changes?.topicsDeleted),
    ...list('hubs created', changes?.hubsCreated),
    ...list('hubs deleted', changes?.hubsDeleted),
    ...component.publishedEvents.map((t) => `  publishes ${t.name}: topic ${t.topicId} (${t.origin})`),
    ...component.subscribedEvents.map((h) => `  subscribes ${h.name}: hub ${h.hubId} on topic ${h.topicId} -> ${h.callback}`),
    ...component.keptTopics.map((t) => `  left in place ${t.name}: topic ${t.topicId} (${t.reason})`),
    ...component.unapplied.map((u) => `  NOT APPLIED ${u.section} ${u.name}: ${u.reason}`),
    '',
  ].join('\n');
}
