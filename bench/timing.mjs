/** Best-of-N wall time (ms) of a function, with its last result. */
export function bestOf(fn, runs = 3) {
  let ms = Infinity;
  let result;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    result = fn();
    ms = Math.min(ms, performance.now() - t);
  }
  return [ms, result];
}
