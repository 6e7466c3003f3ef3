import { describe, expect, it } from 'vitest';
import { ADAPTER_TRIES, requestAdapterWithRetry } from '../../src/lib/ml/detect.ts';

describe('WebGPU adapter request', () => {
  it('asks again when the first answer is null (a freshly started browser), and gets the GPU', async () => {
    const answers = [null, { name: 'NVIDIA H100' }];
    let asked = 0;
    const adapter = await requestAdapterWithRetry(async () => answers[asked++] ?? null, 4, 0);
    expect(adapter).toEqual({ name: 'NVIDIA H100' });
    expect(asked).toBe(2);
  });

  it('says null only after every try said null', async () => {
    let asked = 0;
    expect(await requestAdapterWithRetry(async () => (asked++, null), ADAPTER_TRIES, 0)).toBeNull();
    expect(asked).toBe(ADAPTER_TRIES);
  });

  it('gives up with a clear error on a request that never answers', async () => {
    const never = () => new Promise<null>(() => {});
    await expect(requestAdapterWithRetry(never, ADAPTER_TRIES, 0, 10)).rejects.toThrow(
      'WebGPU adapter request timed out',
    );
  });
});
