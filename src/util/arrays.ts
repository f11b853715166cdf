/**
 * The array with exactly its elements' room. An array built by push keeps the room it grew into
 * (half again plus 16 slots: 17 after a single push); a large config keeps 100,000s of small
 * lists (children, bodies, list elements and items), megabytes of empty slots.
 */
export function fitted<T>(list: T[]): T[] {
  return list.slice();
}
