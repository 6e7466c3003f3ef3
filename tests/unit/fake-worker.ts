/** A worker stand-in for unit tests: the page side of a message channel, with the Worker methods the bridge uses. */
import type { MessagePort } from 'node:worker_threads';

export class FakeWorker extends EventTarget {
  terminated = false;
  constructor(readonly port: MessagePort) {
    super();
    port.on('message', (data) => {
      if (!this.terminated) this.dispatchEvent(Object.assign(new Event('message'), { data }));
    });
  }
  postMessage(data: unknown, moved: Transferable[] = []) {
    if (!this.terminated) this.port.postMessage(data, moved as ArrayBuffer[]);
  }
  terminate() {
    this.terminated = true;
    this.port.close();
  }
  crash(message: string) {
    this.dispatchEvent(Object.assign(new Event('error', { cancelable: true }), { message }));
  }
}

/** The worker's scope as `expose` needs it, on the other end of the channel. */
export function workerScope(port: MessagePort) {
  return {
    addEventListener: (_: 'message', fn: (e: MessageEvent) => void) =>
      port.on('message', (data) => fn({ data } as MessageEvent)),
    postMessage: (m: unknown) => port.postMessage(m),
  };
}
