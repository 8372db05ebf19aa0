// update's look-ups in a bounded pool (seed 000: "ThreadPoolExecutor with 10 workers"; config update_workers) on p-limit:
// results in input order, progress reported as each one finishes.
import pLimit from "p-limit";

export async function mapPool<T, R>(
  items: readonly T[],
  workers: number,
  fn: (item: T, index: number) => Promise<R>,
  onDone?: (done: number, total: number) => void,
): Promise<R[]> {
  const limit = pLimit(Math.max(1, Math.floor(workers)));
  let done = 0;
  return Promise.all(
    items.map((item, i) =>
      limit(async () => {
        const result = await fn(item, i);
        onDone?.(++done, items.length);
        return result;
      }),
    ),
  );
}
