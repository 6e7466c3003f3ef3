/**
 * Runs one job at a time and never queues more: while a job runs, only the newest request waits (older ones
 * are dropped), and a result whose request came before `clear()` is never delivered. The recognizer's
 * drawing → prediction path, where only the latest drawing matters.
 */
export class LatestOnly<T, R> {
  readonly #work: (item: T) => Promise<R>;
  readonly #deliver: (result: R) => void;
  readonly #fail: (err: unknown) => void;
  readonly #onBusy: (busy: boolean) => void;
  readonly #onDrop: (item: T) => void;
  #pending: { item: T } | null = null;
  #running = false;
  #generation = 0;

  constructor(handlers: {
    work: (item: T) => Promise<R>;
    deliver: (result: R) => void;
    fail: (err: unknown) => void;
    /** Told when the queue starts and stops working. */
    onBusy?: (busy: boolean) => void;
    /** Told of a waiting request replaced by a newer one before it ran (not of those `clear()` drops). */
    dropped?: (item: T) => void;
  }) {
    this.#work = handlers.work;
    this.#deliver = handlers.deliver;
    this.#fail = handlers.fail;
    this.#onBusy = handlers.onBusy ?? (() => {});
    this.#onDrop = handlers.dropped ?? (() => {});
  }

  /** True while a job runs or waits. */
  get busy(): boolean {
    return this.#running || this.#pending !== null;
  }

  /** Asks for `item` to be processed; replaces any request still waiting. */
  submit(item: T): void {
    if (this.#pending) this.#onDrop(this.#pending.item);
    this.#pending = { item };
    void this.#drain();
  }

  /** Drops the waiting request, and the result of the one running. */
  clear(): void {
    this.#generation++;
    this.#pending = null;
  }

  async #drain(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    this.#onBusy(true);
    try {
      while (this.#pending) {
        const { item } = this.#pending;
        this.#pending = null;
        const generation = this.#generation;
        try {
          const result = await this.#work(item);
          if (generation === this.#generation) this.#deliver(result);
        } catch (err) {
          if (generation === this.#generation) this.#fail(err);
        }
      }
    } finally {
      this.#running = false;
      this.#onBusy(false);
    }
  }
}
