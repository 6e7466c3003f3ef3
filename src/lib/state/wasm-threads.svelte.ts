/**
 * The benchmark page's "Measure WASM threads": WASM timed with 1 … 4 threads (up to the cores) at batch 1 and
 * 256, each count in a compute worker of its own (a WASM thread pool is made once per worker).
 */
import { wasmThreadCounts, type ThreadResult } from '../ml/backend-policy.ts';
import { capabilities } from '../ml/detect.ts';
import { MODEL_URL, loadModelCached } from '../ml/model-source.ts';
import { INPUT_SIDE } from '../ml/preprocess.ts';
import { measureWasmThreads } from '../ml/probe.ts';
import { sweepPlan } from '../bench/run-record.ts';
import type { BenchSetup } from '../bench/setup.ts';
import { errorMessage } from '../errors.ts';

/** Batch sizes WASM threads are compared at: one digit, and a large batch. */
export const THREAD_BATCHES = [1, 256];

class WasmThreads {
  #results = $state.raw<ThreadResult[]>([]);
  #running = $state(false);
  #error = $state('');

  /** WASM per thread count, from the last measurement. */
  get results() {
    return this.#results;
  }
  get running() {
    return this.#running;
  }
  /** Why the last measurement could not run, if it could not. */
  get error() {
    return this.#error;
  }

  /** Times every thread count with the setup's warm-up and timed runs. */
  async measure(setup: BenchSetup): Promise<void> {
    if (this.#running) return;
    this.#error = '';
    if (!(await capabilities()).wasmThreads) {
      this.#error =
        'WASM threads need a cross-origin isolated page (reload once the app works offline).';
      return;
    }
    this.#running = true;
    this.#results = [];
    try {
      const { artifacts } = await loadModelCached(MODEL_URL, __MODEL_SHA256__);
      const plan = sweepPlan({ ...setup, backends: ['wasm'], batches: THREAD_BATCHES }, [
        INPUT_SIDE,
        INPUT_SIDE,
        1,
      ]);
      this.#results = await measureWasmThreads(
        artifacts,
        wasmThreadCounts(navigator.hardwareConcurrency ?? 1),
        { ...plan, profile: false },
      );
    } catch (err) {
      this.#error = `WASM threads could not be measured: ${errorMessage(err)}`;
    } finally {
      this.#running = false;
    }
  }
}

/** The one WASM-threads measurement of the benchmark page. */
export const wasmThreads = new WasmThreads();
