/**
 * Reads files in order with up to `depth` reads in flight, so that fetching the next files (disk or network)
 * overlaps with checking the current one.
 */
export async function* readAhead<T>(
  paths: readonly string[],
  read: (path: string) => Promise<T>,
  depth: number,
): AsyncGenerator<readonly [string, T], void, undefined> {
  const queue: Promise<T>[] = [];
  let next = 0;
  const enqueue = () => {
    const path = paths[next++];
    if (path === undefined) return;
    const pending = read(path);
    // Handled when its turn comes; without this a failure while an earlier read is awaited would be "unhandled".
    pending.catch(() => undefined);
    queue.push(pending);
  };
  while (next < paths.length && queue.length < depth) enqueue();
  for (const path of paths) {
    const pending = queue.shift();
    if (pending === undefined) return;
    const value = await pending;
    enqueue();
    yield [path, value] as const;
  }
}
