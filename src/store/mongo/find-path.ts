export type PathSegment = string | number;

/**
 * The first path, depth-first in document order, to a field whose name matches `nameMatches`, or
 * (with `nestedArray`) to an array that sits directly inside an array. Recursion is safe: request
 * bodies are at most 64 levels deep.
 */
export function findPath(value: unknown, nameMatches?: (name: string) => boolean, nestedArray = false, inArray = false): PathSegment[] | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    if (nestedArray && inArray) return [];
    for (let i = 0; i < value.length; i++) {
      const below = findPath(value[i], nameMatches, nestedArray, true);
      if (below) return [i, ...below];
    }
    return undefined;
  }
  for (const [name, child] of Object.entries(value)) {
    if (nameMatches?.(name)) return [name];
    const below = findPath(child, nameMatches, nestedArray, false);
    if (below) return [name, ...below];
  }
  return undefined;
}
