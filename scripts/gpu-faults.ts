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
