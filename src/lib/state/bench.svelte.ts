/**
 * The benchmark page's state: the setup (mirrored in the URL), the model to measure (bundled or the user's
 * own, checked before use), the run in progress with its progress and Cancel, the history kept on the device,
 * import/export and the comparison of two runs. Errors become messages; nothing here can lose the history.
 * The run's record is lib/bench/run-record.ts; the sweep runs in a compute worker of its own.
 */
import { ALL_BACKENDS, type BackendName } from '../ml/backend-names.ts';
import { capabilities, type Capabilities } from '../ml/detect.ts';
import { spawnCompute } from '../ml/compute-client.ts';
import { MODEL_URL, loadModelCached, loadReference } from '../ml/model-source.ts';
import { sha256Hex } from '../ml/model-fetch.ts';
import { INPUT_SIDE } from '../ml/preprocess.ts';
import type { BackendResult, Reference, TimingProgress } from '../ml/timing.ts';
import { runFromJson, type BenchRun, type Environment, type ModelInfo } from '../bench/results.ts';
import { finishRun, newRun, outcomeLine, sweepPlan, type Outcome } from '../bench/run-record.ts';
import { parseSetup, setupToQuery, type BenchSetup } from '../bench/setup.ts';
import {
  parseUserModel,
  precheckFiles,
  type ModelFile,
  type UserModel,
} from '../bench/user-model.ts';
import { deleteRun, loadHistory, saveRun } from '../storage/bench-history.ts';
import { readBackendLog, type BackendEvent } from '../storage/backend-choice.ts';
import type { Bridge } from '../worker-bridge.ts';
import type { ComputeApi } from '../ml/compute-api.ts';
import { errorMessage } from '../errors.ts';

export const BENCH_ROUTE = '#/bench';

class Bench {
  #setup = $state<BenchSetup>(parseSetup(new URLSearchParams()).setup);
  #setupProblems = $state<string[]>([]);
  #caps = $state.raw<Capabilities | null>(null);
  #userModel = $state.raw<UserModel | null>(null);
  #useUserModel = $state(false);
  #modelError = $state('');
  #running = $state(false);
  #progress = $state.raw<TimingProgress | null>(null);
  #current = $state.raw<BenchRun | null>(null);
  #history = $state.raw<BenchRun[]>([]);
  #failures = $state.raw<BackendEvent[]>([]);
  #compareWith = $state.raw<BenchRun | null>(null);
  #error = $state('');
  #status = $state('');
  #worker: Bridge<ComputeApi> | null = null;
  #started = false;

  get setup() {
    return this.#setup;
  }
  /** What in the URL's setup was ignored. */
  get setupProblems() {
    return this.#setupProblems;
  }
  get capabilities() {
    return this.#caps;
  }
  get userModel() {
    return this.#userModel;
  }
  get useUserModel() {
    return this.#useUserModel;
  }
  get modelError() {
    return this.#modelError;
  }
  get running() {
    return this.#running;
  }
  /** Where the run is, as the worker reports it (done/total predictions). */
  get progress() {
    return this.#progress;
  }
  /** The run shown: the one in progress, the last one, or one opened from the history. */
  get current() {
    return this.#current;
  }
  get history() {
    return this.#history;
  }
  /** Backends that failed on this device (in the recognizer or a measurement), oldest first. */
  get failures() {
    return this.#failures;
  }
  get compareWith() {
    return this.#compareWith;
  }
  get error() {
    return this.#error;
  }
  /** One line on the last run's outcome. */
  get status() {
    return this.#status;
  }

  /** Reads the setup from the URL query, detects backends and loads the history (once). */
  async start(query: string): Promise<void> {
    const { setup, problems } = parseSetup(new URLSearchParams(query));
    this.#setup = setup;
    this.#setupProblems = problems;
    if (this.#started) return;
    this.#started = true;
    this.#caps = await capabilities();
    this.#failures = await readBackendLog();
    try {
      this.#history = await loadHistory<BenchRun>();
    } catch (err) {
      this.#error = `Saved benchmark runs could not be read (${errorMessage(err)}); new runs will still be shown.`;
    }
  }

  /** Changes the setup and mirrors it in the URL. */
  update(change: Partial<BenchSetup>): void {
    this.#setup = { ...this.#setup, ...change };
    history.replaceState(null, '', `${BENCH_ROUTE}?${setupToQuery(this.#setup)}`);
  }

  /** Why a backend cannot be benchmarked here, or null. */
  unavailable(backend: BackendName): string | null {
    const support = this.#caps?.backends[backend];
    return support && !support.available ? support.detail : null;
  }

  chooseBundledModel(): void {
    this.#useUserModel = false;
  }

  chooseUserModel(): void {
    if (this.#userModel) this.#useUserModel = true;
  }

  /** Checks the user's files; on any problem the message is shown and the previous state stays. */
  async loadUserModel(files: File[]): Promise<void> {
    this.#modelError = '';
    try {
      precheckFiles(files.map((f) => ({ name: f.name, size: f.size })));
      const read: ModelFile[] = await Promise.all(
        files.map(async (f) => ({ name: f.name, data: await f.arrayBuffer() })),
      );
      this.#userModel = parseUserModel(read);
      this.#useUserModel = true;
    } catch (err) {
      this.#modelError = errorMessage(err);
    }
  }

  /** Runs the sweep in a worker; results arrive backend by backend. */
  async run(): Promise<void> {
    if (this.#running) return;
    this.#error = '';
    this.#status = '';
    const setup = $state.snapshot(this.#setup) as BenchSetup;
    const backends = setup.backends.filter((b) => !this.unavailable(b));
    if (backends.length === 0 || setup.batches.length === 0) {
      this.#error = 'Choose at least one available backend and one batch size.';
      return;
    }
    let model: { info: ModelInfo; artifacts: UserModel['artifacts']; reference: Reference | null };
    try {
      model = await this.#model();
    } catch (err) {
      this.#error = `The model could not be loaded: ${errorMessage(err)}`;
      return;
    }
    const now = Date.now();
    const run = newRun(setup, backends, model.info, this.#environment(), {
      id: crypto.randomUUID(),
      now,
      label: new Date(now).toLocaleString(),
    });
    const finished: BackendResult[] = [];
    this.#current = run;
    this.#running = true;
    this.#progress = null;
    const worker = spawnCompute('benchmark', {
      onEvent: (e) => {
        if (e.type === 'result') {
          finished.push(e.result);
          this.#current = { ...run, results: [...finished] };
        } else if (e.type === 'progress') {
          this.#progress = e.progress;
        }
      },
    });
    this.#worker = worker;
    let outcome: Outcome = 'done';
    try {
      const env = await worker.api.environment();
      run.environment = {
        ...run.environment,
        tfjsVersion: env.tfjsVersion,
        measuredIn: env.webglInWorker
          ? 'a dedicated worker (WebGL on OffscreenCanvas)'
          : 'a dedicated worker (no OffscreenCanvas: WebGL unavailable there)',
      };
      await worker.api.setModel(model.artifacts);
      await worker.api.measure(sweepPlan(run.setup, model.info.inputShape, model.reference));
    } catch (err) {
      if (this.#worker !== worker) outcome = 'cancelled';
      else {
        outcome = 'failed';
        this.#error = errorMessage(err);
      }
    } finally {
      worker.terminate();
    }
    this.#worker = null;
    this.#running = false;
    this.#progress = null;
    const final = finishRun(run, finished, outcome);
    this.#current = final;
    this.#status = outcomeLine(final, outcome);
    await this.#remember(final);
  }

  /** Stops the run in progress at once (its worker is terminated); the results so far stay. */
  cancel(): void {
    const worker = this.#worker;
    this.#worker = null;
    worker?.terminate(new Error('cancelled'));
  }

  open(run: BenchRun): void {
    this.#current = run;
  }

  async remove(id: string): Promise<void> {
    try {
      this.#history = await deleteRun<BenchRun>(id);
      if (this.#current?.id === id) this.#current = null;
      if (this.#compareWith?.id === id) this.#compareWith = null;
    } catch (err) {
      this.#error = `Could not delete the run: ${errorMessage(err)}`;
    }
  }

  /** Reads an exported run (e.g., from another device) into the history and compares it with the one shown. */
  async import(file: File): Promise<void> {
    this.#error = '';
    try {
      const run = runFromJson(await file.text());
      await this.#remember(run);
      if (this.#current && this.#current.id !== run.id) this.#compareWith = run;
      else this.#current = run;
    } catch (err) {
      this.#error = errorMessage(err);
    }
  }

  compare(run: BenchRun | null): void {
    this.#compareWith = run;
  }

  async #remember(run: BenchRun): Promise<void> {
    try {
      this.#history = await saveRun(run);
    } catch (err) {
      this.#history = [run, ...this.#history.filter((r) => r.id !== run.id)];
      this.#error = `The run could not be saved on this device (${errorMessage(err)}); export it to keep it.`;
    }
  }

  async #model(): Promise<{
    info: ModelInfo;
    artifacts: UserModel['artifacts'];
    reference: Reference | null;
  }> {
    const user = this.#useUserModel ? this.#userModel : null;
    if (user) {
      const sha256 = await sha256Hex(user.artifacts.weightData as ArrayBuffer);
      const { name, inputShape, weightBytes } = user;
      return {
        info: { name, source: 'user', inputShape, weightBytes, sha256 },
        artifacts: user.artifacts,
        reference: null,
      };
    }
    const [load, reference] = await Promise.all([
      loadModelCached(MODEL_URL, __MODEL_SHA256__),
      loadReference(),
    ]);
    const info: ModelInfo = {
      name: 'Digit CNN (bundled)',
      source: 'bundled',
      inputShape: [INPUT_SIDE, INPUT_SIDE, 1],
      weightBytes: load.bytes,
      sha256: __MODEL_SHA256__,
    };
    return { info, artifacts: load.artifacts, reference };
  }

  #environment(): Environment {
    const caps = this.#caps;
    const nav = navigator as Navigator & { userAgentData?: { platform?: string } };
    return {
      userAgent: navigator.userAgent,
      platform: nav.userAgentData?.platform || navigator.platform || 'unknown',
      cores: navigator.hardwareConcurrency ?? null,
      gpu: caps?.gpu ?? '',
      wasmSimd: caps?.wasmSimd ?? false,
      wasmThreads: caps?.wasmThreads ?? false,
      isolated: globalThis.crossOriginIsolated === true,
      tfjsVersion: '',
      measuredIn: 'a dedicated worker',
    };
  }
}

/** Every backend, for the setup form. */
export const BENCH_BACKENDS = ALL_BACKENDS;

export const bench = new Bench();
