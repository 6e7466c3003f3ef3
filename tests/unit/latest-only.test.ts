import { describe, expect, it } from 'vitest';
import { LatestOnly } from '../../src/lib/latest-only.ts';

/** A queue whose jobs finish only when the test says so. */
function controlled() {
  const started: number[] = [];
  const delivered: number[] = [];
  const failed: string[] = [];
  const busy: boolean[] = [];
  const dropped: number[] = [];
  const finishers: ((v: number | Error) => void)[] = [];
  const queue = new LatestOnly<number, number>({
    work: (n) => {
      started.push(n);
      return new Promise((resolve, reject) => {
        finishers.push((v) => (v instanceof Error ? reject(v) : resolve(v)));
      });
    },
    deliver: (r) => delivered.push(r),
    fail: (e) => failed.push(String(e)),
    onBusy: (b) => busy.push(b),
    dropped: (n) => dropped.push(n),
  });
  /** Finishes the oldest running job with `v` and lets the queue move on. */
  const finish = async (v: number | Error) => {
    finishers.shift()!(v);
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { queue, started, delivered, failed, busy, dropped, finish };
}

describe('LatestOnly (the recognizer queue)', () => {
  it('runs one job at a time and, of the requests made meanwhile, only the newest', async () => {
    const q = controlled();
    q.queue.submit(1);
    q.queue.submit(2);
    q.queue.submit(3);
    q.queue.submit(4);
    expect(q.started).toEqual([1]);
    expect(q.queue.busy).toBe(true);
    await q.finish(10);
    expect(q.delivered).toEqual([10]);
    expect(q.started).toEqual([1, 4]);
    await q.finish(40);
    expect(q.delivered).toEqual([10, 40]);
    expect(q.queue.busy).toBe(false);
    expect(q.busy).toEqual([true, false]);
    // 2 and 3 were replaced while 1 ran: each is reported dropped, once.
    expect(q.dropped).toEqual([2, 3]);
  });

  it('after clear(), neither the running job nor a waiting one delivers', async () => {
    const q = controlled();
    q.queue.submit(1);
    q.queue.submit(2);
    q.queue.clear();
    await q.finish(10);
    expect(q.delivered).toEqual([]);
    // Cleared on purpose (a pause, a stop), not dropped for lack of time.
    expect(q.dropped).toEqual([]);
    expect(q.started).toEqual([1]);
    q.queue.submit(3);
    await q.finish(30);
    expect(q.delivered).toEqual([30]);
  });

  it('a failed job is reported and the next request still runs', async () => {
    const q = controlled();
    q.queue.submit(1);
    q.queue.submit(2);
    await q.finish(new Error('backend lost'));
    expect(q.failed).toEqual(['Error: backend lost']);
    await q.finish(20);
    expect(q.delivered).toEqual([20]);
    expect(q.queue.busy).toBe(false);
  });
});
