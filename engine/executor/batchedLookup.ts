interface Waiter<V> {
  resolve(value: V | undefined): void;
  reject(cause: unknown): void;
}

/**
 * Collects the keys asked for during one turn of the event loop and looks them up together on
 * the next: when a layer of a large pipeline becomes ready at once, its cache lookups are one
 * query instead of one per task. A key asked for twice in a turn is looked up once.
 */
export class BatchedLookup<K, V> {
  private waiting = new Map<K, Array<Waiter<V>>>();
  private scheduled = false;

  constructor(private readonly load: (keys: K[]) => Promise<ReadonlyMap<K, V>>) {}

  get(key: K): Promise<V | undefined> {
    return new Promise<V | undefined>((resolve, reject) => {
      let waiters = this.waiting.get(key);
      if (waiters === undefined) {
        waiters = [];
        this.waiting.set(key, waiters);
      }
      waiters.push({ resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.run());
      }
    });
  }

  private async run(): Promise<void> {
    const batch = this.waiting;
    this.waiting = new Map();
    this.scheduled = false;
    let found: ReadonlyMap<K, V>;
    try {
      found = await this.load([...batch.keys()]);
    } catch (cause) {
      for (const waiters of batch.values()) for (const waiter of waiters) waiter.reject(cause);
      return;
    }
    for (const [key, waiters] of batch) for (const waiter of waiters) waiter.resolve(found.get(key));
  }
}
