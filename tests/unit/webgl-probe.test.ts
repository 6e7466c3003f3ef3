import { afterEach, describe, expect, it } from 'vitest';
import { MessageChannel } from 'node:worker_threads';
import { expose } from '../../src/lib/worker-bridge.ts';
import { probeWebGl, type WebGlSupport } from '../../src/lib/ml/webgl-probe.ts';
import { FakeWorker, workerScope } from './fake-worker.ts';

const open: FakeWorker[] = [];
afterEach(() => {
  for (const w of open.splice(0)) w.terminate();
});

/** A probe worker that serves `readWebGl` as given (or never answers, or crashes on start). */
function fakeProbe(readWebGl: () => WebGlSupport | Promise<WebGlSupport>, crash?: string) {
  return () => {
    const { port1, port2 } = new MessageChannel();
    expose({ readWebGl }, workerScope(port2));
    const worker = new FakeWorker(port1);
    open.push(worker);
    if (crash) setTimeout(() => worker.crash(crash));
    return worker as unknown as Worker;
  };
}

const SWIFTSHADER: WebGlSupport = {
  available: true,
  detail: 'WebGL 2 · ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device))',
  renderer: 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device))',
};

describe('WebGL probe (in a worker)', () => {
  it("returns the worker's answer and ends the worker", async () => {
    expect(await probeWebGl(fakeProbe(() => SWIFTSHADER))).toEqual(SWIFTSHADER);
    expect(open[0].terminated).toBe(true);
  });

  it('a worker that cannot start: WebGL unavailable, saying why', async () => {
    const never = () => new Promise<WebGlSupport>(() => {});
    expect(await probeWebGl(fakeProbe(never, 'it could not start'))).toEqual({
      available: false,
      detail: 'WebGL probe failed: the worker failed: it could not start',
      renderer: '',
    });
  });

  it('a worker that never answers: WebGL unavailable after the time limit', async () => {
    const never = () => new Promise<WebGlSupport>(() => {});
    const support = await probeWebGl(fakeProbe(never), 30);
    expect(support).toMatchObject({ available: false, renderer: '' });
    expect(support.detail).toBe('WebGL probe failed: no answer within 30.0 ms');
    expect(open[0].terminated).toBe(true);
  });

  it('Worker itself missing (no workers here): unavailable, never a throw', async () => {
    const support = await probeWebGl(() => {
      throw new ReferenceError('Worker is not defined');
    });
    expect(support).toEqual({
      available: false,
      detail: 'WebGL probe failed: Worker is not defined',
      renderer: '',
    });
  });
});
