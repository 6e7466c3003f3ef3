import { afterEach, describe, expect, it } from 'vitest';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { connect, expose, transfer } from '../../src/lib/worker-bridge.ts';
import { FakeWorker, workerScope } from './fake-worker.ts';

/** The worker side: the API served over the other end of the channel. */
function serve(port: MessagePort) {
  const scope = workerScope(port);
  const api = {
    add: (a: number, b: number) => a + b,
    bytes: (buffer: ArrayBuffer) => buffer.byteLength,
    async slow(ms: number) {
      await new Promise((r) => setTimeout(r, ms));
      return 'late';
    },
    fail(message: string): number {
      throw new TypeError(message);
    },
    async count(n: number) {
      for (let i = 1; i <= n; i++) emit(i);
      return n;
    },
  };
  const emit = expose<number>(api, scope);
  return api;
}

const open: FakeWorker[] = [];
function pair(options: Parameters<typeof connect>[1] = {}) {
  const { port1, port2 } = new MessageChannel();
  serve(port2);
  const worker = new FakeWorker(port1);
  open.push(worker);
  return {
    worker,
    bridge: connect<ReturnType<typeof serve>, number>(worker as unknown as Worker, options),
    port2,
  };
}
afterEach(() => {
  for (const w of open.splice(0)) {
    w.terminate();
    w.port.close();
  }
});

describe('worker bridge', () => {
  it('calls the worker API as typed promises', async () => {
    const { bridge } = pair();
    expect(await bridge.api.add(2, 3)).toBe(5);
    expect(await Promise.all([bridge.api.add(1, 1), bridge.api.add(2, 2)])).toEqual([2, 4]);
  });

  it('moves what transfer() marks instead of copying it', async () => {
    const { bridge } = pair();
    const copied = new ArrayBuffer(8);
    const moved = new ArrayBuffer(16);
    expect(await bridge.api.bytes(copied)).toBe(8);
    expect(copied.byteLength).toBe(8);
    expect(await bridge.api.bytes(transfer(moved, [moved]))).toBe(16);
    expect(moved.byteLength).toBe(0);
  });

  it('an exception in the worker reaches the caller as an Error with its name and message', async () => {
    const { bridge } = pair();
    const err = await bridge.api.fail('bad input').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ name: 'TypeError', message: 'bad input' });
    // The worker still serves after a failed call.
    expect(await bridge.api.add(1, 2)).toBe(3);
  });

  it('events a running call reports reach the page before its result', async () => {
    const events: number[] = [];
    const { bridge } = pair({ onEvent: (e) => events.push(e as number) });
    expect(await bridge.api.count(3)).toBe(3);
    expect(events).toEqual([1, 2, 3]);
  });

  it('an abort terminates the worker and rejects pending calls with the reason', async () => {
    const controller = new AbortController();
    const { bridge, worker } = pair({ signal: controller.signal });
    const pending = bridge.api.slow(2_000);
    controller.abort(new Error('budget spent'));
    await expect(pending).rejects.toThrow('budget spent');
    expect(worker.terminated).toBe(true);
    expect(bridge.ended).toBe(true);
    await expect(bridge.api.add(1, 1)).rejects.toThrow('budget spent');
  });

  it('a time budget (AbortSignal.timeout) stops a call that overruns it', async () => {
    const { bridge, worker } = pair({ signal: AbortSignal.timeout(20) });
    await expect(bridge.api.slow(2_000)).rejects.toThrow();
    expect(worker.terminated).toBe(true);
  });

  it('a worker that crashes rejects every pending call with an Error saying so', async () => {
    const { bridge, worker } = pair();
    const pending = bridge.api.slow(2_000);
    worker.crash('out of memory');
    await expect(pending).rejects.toThrow('the worker failed: out of memory');
    await expect(bridge.api.add(1, 1)).rejects.toThrow('the worker failed');
  });

  it('terminate() ends it: pending and later calls reject', async () => {
    const { bridge, worker } = pair();
    const pending = bridge.api.slow(2_000);
    bridge.terminate(new Error('cancelled'));
    await expect(pending).rejects.toThrow('cancelled');
    expect(worker.terminated).toBe(true);
  });
});
