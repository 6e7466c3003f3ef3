/**
 * GPU faults as a GPU reset or driver crash would cause them, for the tests and `npm run bench`. `keep` runs in
 * a compute worker (through Playwright) before tfjs asks for its GPU handles, and holds every one made; `lose`
 * breaks them all and says how many. Both are sent as source text, so they refer to nothing outside themselves.
 */
type Scope = { kept: unknown[] };

export const GPU_FAULTS = [
  {
    backend: 'webgl',
    title: 'WebGL',
    fault: 'the WebGL context is lost (WEBGL_lose_context)',
    keep: () => {
      const kept: unknown[] = ((globalThis as unknown as Scope).kept = []);
      const protos = [
        OffscreenCanvas.prototype,
        ...(typeof HTMLCanvasElement === 'undefined' ? [] : [HTMLCanvasElement.prototype]),
      ];
      for (const proto of protos as { getContext(...a: unknown[]): unknown }[]) {
        const original = proto.getContext;
        proto.getContext = function (this: unknown, ...args: unknown[]) {
          const ctx = original.apply(this, args);
          if (ctx && /webgl/.test(String(args[0]))) kept.push(ctx);
          return ctx;
        };
      }
    },
    lose: () => {
      const live = ((globalThis as unknown as Scope).kept as WebGLRenderingContext[]).filter(
        (gl) => !gl.isContextLost(),
      );
      for (const gl of live) gl.getExtension('WEBGL_lose_context')?.loseContext();
      return live.length;
    },
  },
  {
    backend: 'webgpu',
    title: 'WebGPU',
    fault: 'the WebGPU device is lost (destroyed)',
    keep: () => {
      const kept: unknown[] = ((globalThis as unknown as Scope).kept = []);
      const original = GPUAdapter.prototype.requestDevice;
      GPUAdapter.prototype.requestDevice = async function (
        this: GPUAdapter,
        ...args: Parameters<typeof original>
      ) {
        const device = await original.apply(this, args);
        kept.push(device);
        return device;
      } as typeof original;
    },
    lose: () => {
      const kept = (globalThis as unknown as Scope).kept as GPUDevice[];
      for (const device of kept) device.destroy();
      return kept.length;
    },
  },
] as const;

/**
 * A GPU that computes wrong numbers without any error (as half-float textures or a driver bug can): every
 * result WebGL reads back comes out in reverse order, so each digit gets another digit's probabilities. Runs
 * in a compute worker through Playwright, before the backend is checked.
 */
export const WRONG_WEBGL_RESULTS = () => {
  const proto = WebGL2RenderingContext.prototype as unknown as Record<
    'getBufferSubData' | 'readPixels',
    (...args: unknown[]) => void
  >;
  for (const [method, target] of [
    ['getBufferSubData', 2],
    ['readPixels', 6],
  ] as const) {
    const original = proto[method];
    proto[method] = function (this: unknown, ...args: unknown[]) {
      original.apply(this, args);
      const out = args[target] as { reverse?: () => void } | undefined;
      out?.reverse?.();
    };
  }
};

/**
 * A GPU driver that compiles shaders slowly (a cold shader cache): every WebGL shader program takes 150 ms
 * more to link, so a backend's warm-up runs past the start-up budget. Runs in a compute worker.
 */
export const SLOW_WEBGL_WARMUP = () => {
  const proto = WebGL2RenderingContext.prototype;
  const link = proto.linkProgram;
  proto.linkProgram = function (this: WebGL2RenderingContext, program: WebGLProgram) {
    const until = performance.now() + 150;
    while (performance.now() < until); // the worker's thread is busy, as with a slow driver
    return link.call(this, program);
  };
};
