import { jsonPath } from './compile-event-schema';
import type { JsonSchema } from './resolve-tmf-events';

/** One change that breaks compatibility, named by the JSONPath of the event attribute it concerns. */
export interface BreakingChange {
  path: string;
  change: string;
}

type Node = Record<string, unknown>;

const LOWER_BOUNDS = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties'] as const;
const UPPER_BOUNDS = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties'] as const;
const MAX_REF_HOPS = 64;

/**
 * The changes from `previous` to `next` that break compatibility (empty: compatible). Pure.
 *
 * The rules of the registry: every event valid under the previous version must stay valid under the
 * next one (so making an optional attribute required, narrowing a type or an enum, tightening a bound,
 * a new pattern or format, or closing additionalProperties all break), and no declared attribute may
 * disappear (consumers read it). Adding optional attributes, widening types, enums and bounds is fine.
 * Both schemas are self-contained (local `$ref`s into their own `$defs`/`definitions`); `allOf` is
 * merged before comparing; `anyOf`/`oneOf` alternatives must each still be accepted by some
 * alternative of the next version; a changed `not` or `if` is reported rather than reasoned about.
 */
export function breakingChanges(previous: JsonSchema | boolean, next: JsonSchema | boolean): BreakingChange[] {
  const changes: BreakingChange[] = [];
  const seen = new Set<string>();
  const pairIds = new WeakMap<object, number>();
  let counter = 0;
  const idOf = (node: object) => {
    if (!pairIds.has(node)) pairIds.set(node, ++counter);
    return pairIds.get(node)!;
  };

  const compare = (oldNode: unknown, newNode: unknown, path: string[]): void => {
    const o = normalize(oldNode, previous);
    const n = normalize(newNode, next);
    if (o === false) return; // nothing was valid: nothing can break
    const at = jsonPath(path);
    const report = (change: string) => changes.push({ path: at, change });
    if (n === false) {
      report('no value is allowed any more');
      return;
    }
    // A recursive model reaches the same pair of schema nodes again: compared once, reported at its first path.
    if (isObject(oldNode) && isObject(newNode)) {
      const key = `${idOf(oldNode)}:${idOf(newNode)}`;
      if (seen.has(key)) return;
      seen.add(key);
    }

    const oldTypes = typesOf(o);
    const newTypes = typesOf(n);
    if (newTypes) {
      const lost = oldTypes ? oldTypes.filter((t) => !newTypes.includes(t) && !(t === 'integer' && newTypes.includes('number'))) : ['any'];
      if (lost.length) report(`type narrowed from ${oldTypes ? oldTypes.join('|') : 'any'} to ${newTypes.join('|')}`);
    }
    const newEnum = n.enum;
    if (Array.isArray(newEnum)) {
      if (!Array.isArray(o.enum)) report(`enum added: only ${newEnum.map(show).join(', ')} allowed`);
      else {
        const removed = o.enum.filter((v) => !newEnum.some((w) => same(v, w)));
        if (removed.length) report(`enum narrowed: ${removed.map(show).join(', ')} no longer allowed`);
      }
    }
    if ('const' in n && !('const' in o && same(o.const, n.const))) report(`const ${show(n.const)} required`);
    for (const bound of LOWER_BOUNDS) {
      if (typeof n[bound] === 'number' && !(typeof o[bound] === 'number' && (o[bound] as number) >= (n[bound] as number))) {
        report(`${bound} tightened from ${o[bound] ?? 'none'} to ${n[bound]}`);
      }
    }
    for (const bound of UPPER_BOUNDS) {
      if (typeof n[bound] === 'number' && !(typeof o[bound] === 'number' && (o[bound] as number) <= (n[bound] as number))) {
        report(`${bound} tightened from ${o[bound] ?? 'none'} to ${n[bound]}`);
      }
    }
    if (typeof n.multipleOf === 'number' && !(typeof o.multipleOf === 'number' && (o.multipleOf as number) % (n.multipleOf as number) === 0)) {
      report(`multipleOf tightened from ${o.multipleOf ?? 'none'} to ${n.multipleOf}`);
    }
    if (n.uniqueItems === true && o.uniqueItems !== true) report('uniqueItems added');
    for (const keyword of ['pattern', 'format'] as const) {
      if (n[keyword] !== undefined && n[keyword] !== o[keyword]) report(`${keyword} ${o[keyword] === undefined ? 'added' : 'changed'}: ${show(n[keyword])}`);
    }
    for (const keyword of ['not', 'if', 'then', 'else', 'propertyNames', 'contains', 'dependencies', 'dependentRequired', 'dependentSchemas'] as const) {
      if (n[keyword] !== undefined && !same(o[keyword], n[keyword])) report(`${keyword} ${o[keyword] === undefined ? 'added' : 'changed'}`);
    }

    // Objects.
    const oldProps = propertiesOf(o);
    const newProps = propertiesOf(n);
    const oldRequired = new Set(requiredOf(o));
    for (const name of requiredOf(n)) {
      if (oldRequired.has(name)) continue;
      changes.push({ path: jsonPath([...path, name]), change: name in oldProps ? 'optional attribute made required' : 'required attribute added' });
    }
    for (const [name, schema] of Object.entries(oldProps)) {
      if (!(name in newProps)) changes.push({ path: jsonPath([...path, name]), change: 'declared attribute removed' });
      else compare(schema, newProps[name], [...path, name]);
    }
    const oldExtra = o.additionalProperties;
    const newExtra = n.additionalProperties;
    for (const [name, schema] of Object.entries(newProps)) {
      // An attribute the previous version allowed as an additional one keeps what it allowed.
      if (!(name in oldProps) && oldExtra !== undefined && oldExtra !== true) compare(oldExtra, schema, [...path, name]);
    }
    if (newExtra !== undefined && newExtra !== true && !same(oldExtra, newExtra)) {
      if (newExtra === false) {
        if (oldExtra !== false) report('additionalProperties closed: attributes not declared are no longer allowed');
      } else compare(oldExtra ?? true, newExtra, [...path, '*']);
    }

    // Arrays.
    if (n.items !== undefined && !Array.isArray(n.items)) {
      compare(o.items !== undefined && !Array.isArray(o.items) ? o.items : true, n.items, [...path, '*']);
    } else if (Array.isArray(n.items)) {
      if (!same(o.items, n.items)) {
        n.items.forEach((item, i) => compare(Array.isArray(o.items) ? (o.items[i] ?? true) : (o.items ?? true), item, [...path, String(i)]));
      }
    }

    // Alternatives: each old alternative must still be accepted by one of the new ones.
    for (const keyword of ['anyOf', 'oneOf'] as const) {
      const newBranches = n[keyword];
      if (!Array.isArray(newBranches)) continue;
      const oldBranches = Array.isArray(o[keyword]) ? (o[keyword] as unknown[]) : [o];
      oldBranches.forEach((branch, i) => {
        if (!newBranches.some((candidate) => breakingChanges(subSchema(branch, previous), subSchema(candidate, next)).length === 0)) {
          report(`${keyword} alternative ${Array.isArray(o[keyword]) ? i + 1 : '(the previous schema)'} is no longer accepted`);
        }
      });
    }
  };

  compare(previous, next, []);
  return changes;
}

/** A schema with its $refs followed and its allOf branches merged; `false` for the schema that allows nothing. */
function normalize(node: unknown, root: JsonSchema | boolean, hops = 0): Node | false {
  if (node === false) return false;
  if (node === true || node === undefined || node === null || typeof node !== 'object') return {};
  let current = node as Node;
  while (typeof current.$ref === 'string' && hops++ < MAX_REF_HOPS) {
    const target = resolveRef(root, current.$ref);
    if (target === false) return false;
    const { $ref: _ref, ...siblings } = current;
    current = { ...(typeof target === 'object' && target ? (target as Node) : {}), ...siblings };
  }
  if (!Array.isArray(current.allOf)) return current;
  const { allOf, ...own } = current;
  const parts = [own, ...allOf.map((part) => normalize(part, root, hops))];
  if (parts.includes(false)) return false;
  return mergeAll(parts as Node[]);
}

function mergeAll(parts: Node[]): Node {
  const merged: Node = {};
  const properties: Record<string, unknown> = {};
  const required = new Set<string>();
  for (const part of parts) {
    for (const [key, value] of Object.entries(part)) {
      if (key === 'properties' && value && typeof value === 'object') {
        for (const [name, schema] of Object.entries(value)) {
          properties[name] = name in properties ? { allOf: [properties[name], schema] } : schema;
        }
      } else if (key === 'required' && Array.isArray(value)) value.forEach((r) => required.add(String(r)));
      else if (key === 'type') {
        const types = Array.isArray(value) ? value : [value];
        merged.type = merged.type === undefined ? types : (merged.type as unknown[]).filter((t) => types.includes(t));
      } else if (key === 'additionalProperties' && value === false) merged.additionalProperties = false;
      else if (!(key in merged)) merged[key] = value;
    }
  }
  if (Object.keys(properties).length) merged.properties = properties;
  if (required.size) merged.required = [...required];
  return merged;
}

function resolveRef(root: JsonSchema | boolean, ref: string): unknown {
  if (!ref.startsWith('#')) return {}; // not self-contained: nothing to compare against, treated as "anything"
  let target: unknown = root;
  for (const raw of ref.slice(1).split('/').slice(1)) {
    const segment = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    target = target && typeof target === 'object' ? (target as Node)[segment] : undefined;
  }
  return target ?? {};
}

/** A sub-schema made comparable on its own: the root's $defs/definitions travel with it. */
function subSchema(branch: unknown, root: JsonSchema | boolean): JsonSchema | boolean {
  if (typeof branch === 'boolean') return branch;
  if (typeof root !== 'object' || !branch || typeof branch !== 'object') return {};
  return { ...(branch as Node), $defs: root.$defs, definitions: root.definitions } as JsonSchema;
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

/** The declared types, else those of the enum or const values; undefined when any type is allowed. */
function typesOf(node: Node): string[] | undefined {
  if (node.type === undefined) {
    const values = Array.isArray(node.enum) ? node.enum : 'const' in node ? [node.const] : undefined;
    return values && [...new Set(values.map(jsonType))];
  }
  return Array.isArray(node.type) ? node.type.map(String) : [String(node.type)];
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function propertiesOf(node: Node): Record<string, unknown> {
  return node.properties && typeof node.properties === 'object' ? (node.properties as Record<string, unknown>) : {};
}

function requiredOf(node: Node): string[] {
  return Array.isArray(node.required) ? node.required.map(String) : [];
}

function same(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function show(value: unknown): string {
  return JSON.stringify(value);
}

/** JSON with object keys sorted: equal for equal values whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Node)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
