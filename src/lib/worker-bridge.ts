/**
 * A typed bridge between the page and a worker, in the style of Squoosh's worker bridge. The worker exposes
 * an API object (`expose`); the page calls its methods as promises (`connect(worker).api.predict(…)`), typed
 * from that object. Every failure reaches the caller as a rejected Error: an exception in the worker (its
 * message kept), a worker that cannot load or crashes, a call after the end, and an abort — which terminates
 * the worker at once, the only way to stop a GPU warm-up in the middle. Long calls report through events.
 */

/** Messages from the page. */
interface Call {
  id: number;
  method: string;
  args: unknown[];
}

/** Messages from the worker: a call's outcome, or an event a running call reports. */
type Reply<E> =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; name: string; message: string }
  | { event: E };

/** Any object of methods can be exposed; their arguments and results must be structured-cloneable. */
type Methods = Record<string, (...args: never[]) => unknown>;

/** The page's view of an exposed API: the same methods, each returning a promise. */
export type Remote<Api extends Methods> = {
  [K in keyof Api]: (...args: Parameters<Api[K]>) => Promise<Awaited<ReturnType<Api[K]>>>;
};

/** The scope a worker runs in, as far as the bridge needs it. */
interface WorkerScope {
  addEventListener(type: 'message', listener: (e: MessageEvent<Call>) => void): void;
  postMessage(message: unknown): void;
}

/** Serves `api` to the page (call once, in the worker); returns the function that sends events. */
export function expose<E>(api: Methods, scope: WorkerScope): (event: E) => void {
  scope.addEventListener('message', ({ data }) => {
    const { id, method, args } = data;
    Promise.resolve()
      .then(() => {
        const fn = api[method];
        if (typeof fn !== 'function') throw new Error(`the worker has no method "${method}"`);
        return (fn as (...a: unknown[]) => unknown)(...args);
      })
      .then(
        (value) => scope.postMessage({ id, ok: true, value } satisfies Reply<E>),
        (err: unknown) => {
          const e = err instanceof Error ? err : new Error(String(err));
          scope.postMessage({ id, ok: false, name: e.name, message: e.message } satisfies Reply<E>);
        },
      );
  });
  return (event) => scope.postMessage({ event } satisfies Reply<E>);
}

/** Values to move rather than copy, by the argument they belong to (see `transfer`). */
const transfers = new WeakMap<object, Transferable[]>();

/**
 * Marks `value` (an argument of a call) to be sent with `transferables` moved, not copied — e.g. a camera
 * frame's ImageBitmap, which the page must not keep. Returns `value`.
 */
export function transfer<T extends object>(value: T, transferables: Transferable[]): T {
  transfers.set(value, transferables);
  return value;
}

/** An error raised in the worker, with the worker's name and message. */
export class WorkerError extends Error {}

/** A connected worker: its API, and the way to end it. */
export interface Bridge<Api extends Methods> {
  api: Remote<Api>;
  /** Terminates the worker; pending calls reject with `reason`. Safe to call twice. */
  terminate(reason?: Error): void;
  /** Whether the worker has ended (terminated, aborted or crashed). */
  readonly ended: boolean;
}

export interface ConnectOptions<E> {
  /** Receives the events running calls report. */
  onEvent?: (event: E) => void;
  /** Aborting terminates the worker (e.g. `AbortSignal.timeout(ms)` for a time budget). */
  signal?: AbortSignal;
}

const asError = (reason: unknown, fallback: string): Error =>
  reason instanceof Error ? reason : new Error(reason === undefined ? fallback : String(reason));

/** Connects to `worker`, whose script called `expose` with an API of type `Api`. */
export function connect<Api extends Methods, E = never>(
  worker: Worker,
  { onEvent, signal }: ConnectOptions<E> = {},
): Bridge<Api> {
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let ended: Error | null = null;

  const end = (reason: Error) => {
    if (ended) return;
    ended = reason;
    worker.terminate();
    signal?.removeEventListener('abort', onAbort);
    for (const { reject } of pending.values()) reject(reason);
    pending.clear();
  };
  const onAbort = () => end(asError(signal?.reason, 'the worker was stopped'));

  worker.addEventListener('message', ({ data }: MessageEvent<Reply<E>>) => {
    if ('event' in data) {
      onEvent?.(data.event);
      return;
    }
    const call = pending.get(data.id);
    if (!call) return;
    pending.delete(data.id);
    if (data.ok) call.resolve(data.value);
    else call.reject(Object.assign(new WorkerError(data.message), { name: data.name }));
  });
  worker.addEventListener('error', (e: ErrorEvent) => {
    e.preventDefault();
    end(new Error(`the worker failed: ${e.message || 'it could not start'}`));
  });
  worker.addEventListener('messageerror', () =>
    end(new Error('the worker sent a message that could not be read')),
  );
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort);

  const call = (method: string, args: unknown[]) =>
    new Promise((resolve, reject) => {
      if (ended) return reject(ended);
      const id = nextId++;
      pending.set(id, { resolve, reject });
      const moved = args.flatMap((a) => (a && typeof a === 'object' && transfers.get(a)) || []);
      worker.postMessage({ id, method, args } satisfies Call, moved);
    });

  const api = new Proxy({} as Remote<Api>, {
    // Not thenable: awaiting the API object itself must not look like a call.
    get: (_, method) =>
      typeof method === 'string' && method !== 'then'
        ? (...args: unknown[]) => call(method, args)
        : undefined,
  });
  return {
    api,
    terminate: (reason) => end(reason ?? new Error('the worker was stopped')),
    get ended() {
      return ended !== null;
    },
  };
}
