import { createPatch, type Operation } from 'rfc6902';

export type PatchOperation = Operation;

/** The RFC 6902 JSON Patch that turns `from` into `to` (the `rfc6902` package's diff). Pure. */
export function jsonPatch(from: unknown, to: unknown): PatchOperation[] {
  return createPatch(from, to);
}

/** RFC 6901: `~1` is `/`, `~0` is `~`. */
const unescapePointer = (token: string): string => token.replace(/~1/g, '/').replace(/~0/g, '~');

/**
 * The first-level attributes a patch touches, sorted and comma-separated: the `fieldPath` of an
 * AttributeValueChangeEvent (as TMF names the attributes a `fields` query selects). Sorted, so that it
 * does not depend on the order the diff happens to write its operations in. A patch of the whole
 * document (path "") names none. Pure.
 */
export function fieldPath(patch: readonly PatchOperation[]): string {
  const names: string[] = [];
  for (const operation of patch) {
    for (const path of [operation.path, 'from' in operation ? operation.from : undefined]) {
      const first = path?.split('/')[1];
      if (first === undefined) continue;
      const name = unescapePointer(first);
      if (!names.includes(name)) names.push(name);
    }
  }
  return names.sort().join(',');
}
