// A bounded worker pool (seed 000: "ThreadPoolExecutor with 10 workers"; config update_workers): at most `workers`
// calls in flight, results in input order, progress reported as each one finishes.
export async function mapPool<T, R>(
  items: readonly T[],
  workers: number,
  fn: (item: T, index: number) => Promise<R>,
  onDone?: (done: number, total: number) => void,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
      onDone?.(++done, items.length);
    }
  };
  const size = Math.min(Math.max(1, Math.floor(workers)), items.length);
  await Promise.all(Array.from({ length: size }, worker));
  return results;
}
