/**
 * Whether `text` has more than `max` characters as JSON Schema's maxLength counts them: Unicode code
 * points, not the UTF-16 units of `String.length` (an emoji is one character and two units). The
 * contract and the hub's own checks must agree on every limit, or a valid request is refused. Cheap
 * for the common case: a text within `max` units is within `max` code points.
 */
export function longerThan(text: string, max: number): boolean {
  if (text.length <= max) return false;
  let count = 0;
  for (const _ of text) if (++count > max) return true;
  return false;
}
