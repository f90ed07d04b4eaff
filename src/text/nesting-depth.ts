/** No TMF resource nor ODA manifest nests anywhere near this; deeper bodies only serve to exhaust recursion later. */
export const MAX_DEPTH = 64;

/** Whether `value` nests deeper than `max` levels. Iterative, so a hostile body cannot overflow the stack while being measured. */
export function depthExceeds(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}
