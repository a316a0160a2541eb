/**
 * A select's options plus the value the engine reports when the list lacks it
 * (a speed set from the CLI, a lesson missing from lessons.list): a select
 * whose value has no option would show the wrong one.
 */
export function withCurrent<T>(options: readonly T[], current: T | null, same: (a: T, b: T) => boolean, order?: (a: T, b: T) => number): T[] {
  if (current === null || options.some((option) => same(option, current))) return [...options];
  const all = [...options, current];
  return order ? all.sort(order) : all;
}
