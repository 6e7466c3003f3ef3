/**
 * Checking a user's own tfjs layers model (model.json + weight shards, read from files on the device) before
 * anything runs: every way such files can be wrong gets its own message. Nothing here touches the network.
 */
import type { io } from '../ml/tf.ts';

/** A file as picked or dropped: its name and bytes. */
export interface ModelFile {
  name: string;
  data: ArrayBuffer;
}

/** What is wrong with the files, in words for the user. */
export class ModelFileError extends Error {
  override name = 'ModelFileError';
}

export interface UserModel {
  name: string;
  artifacts: io.ModelArtifacts;
  /** Input shape without the batch dimension. */
  inputShape: number[];
  weightBytes: number;
}

/** More files than any sensible model has; the rest of the check is not even tried. */
export const MAX_FILES = 100;
/** Largest total weight size accepted (the benchmark keeps a copy per backend). */
export const MAX_WEIGHT_BYTES = 512 * 1024 * 1024;

const BYTES_PER: Record<string, number> = {
  float32: 4,
  int32: 4,
  bool: 1,
  uint8: 1,
  uint16: 2,
  float16: 2,
  complex64: 8,
};

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const baseName = (p: string) => p.split(/[\\/]/).pop() ?? p;
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string };
}

function fail(message: string): never {
  throw new ModelFileError(message);
}

function readManifest(json: Record<string, unknown>): { paths: string[]; specs: WeightSpec[] } {
  const manifest = json.weightsManifest;
  if (!Array.isArray(manifest))
    fail('model.json has no "weightsManifest" list, so its weights cannot be found.');
  const paths: string[] = [];
  const specs: WeightSpec[] = [];
  manifest.forEach((group: unknown, g) => {
    if (!isObj(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      fail(`weightsManifest entry ${g + 1} needs "paths" and "weights" lists.`);
    }
    for (const p of group.paths) {
      if (typeof p !== 'string' || !p)
        fail(`weightsManifest entry ${g + 1} has a path that is not a file name.`);
      paths.push(p);
    }
    for (const w of group.weights) {
      if (!isObj(w) || typeof w.name !== 'string')
        fail(`weightsManifest entry ${g + 1} has a weight without a name.`);
      const shape = w.shape;
      if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
        fail(
          `Weight "${w.name}" has a shape that is not a list of whole numbers: ${JSON.stringify(shape)}.`,
        );
      }
      const q =
        isObj(w.quantization) && typeof w.quantization.dtype === 'string'
          ? { dtype: w.quantization.dtype }
          : undefined;
      const dtype = typeof w.dtype === 'string' ? w.dtype : '';
      if (!(dtype in BYTES_PER) || (q && !(q.dtype in BYTES_PER))) {
        fail(`Weight "${w.name}" has an unknown data type "${q?.dtype ?? dtype}".`);
      }
      if (isObj(w.quantization)) {
        for (const key of ['scale', 'min'] as const) {
          const v = w.quantization[key];
          if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v))) {
            fail(
              `Weight "${w.name}" has a quantization ${key} that is not a number: ${JSON.stringify(v)}.`,
            );
          }
        }
      }
      // Keep the entry as written (tfjs reads optional fields such as "quantization" by presence).
      specs.push(w as unknown as WeightSpec);
    }
  });
  return { paths, specs };
}

function specBytes(s: WeightSpec): number {
  return s.shape.reduce((a, d) => a * d, 1) * BYTES_PER[s.quantization?.dtype ?? s.dtype];
}

/**
 * Float weights must be numbers: NaN or Infinity in the weight files means they are damaged or belong to
 * another model, and every result computed from them would be meaningless.
 */
function checkFinite(data: ArrayBuffer, specs: readonly WeightSpec[]): void {
  let offset = 0;
  for (const s of specs) {
    const bytes = specBytes(s);
    if (s.dtype === 'float32' && !s.quantization) {
      const values =
        offset % 4 === 0
          ? new Float32Array(data, offset, bytes / 4)
          : new Float32Array(data.slice(offset, offset + bytes));
      let bad = 0;
      for (const v of values) if (!Number.isFinite(v)) bad++;
      if (bad)
        fail(
          `Weight "${s.name}" holds ${bad.toLocaleString('en')} of ${values.length.toLocaleString('en')} values that are not numbers (NaN or infinity); the weight files are damaged or belong to another model.`,
        );
    }
    offset += bytes;
  }
}

/** The input shape from a layers topology (Sequential or functional), batch dimension first. */
function topologyInputShape(topology: Record<string, unknown>): unknown[] {
  const config = isObj(topology.config) ? topology.config : null;
  const layers = Array.isArray(config?.layers)
    ? (config.layers as unknown[])
    : Array.isArray(topology.config)
      ? (topology.config as unknown[])
      : [];
  const layerConfig = (l: unknown) => (isObj(l) && isObj(l.config) ? l.config : {});
  const shapeOf = (l: unknown) => {
    const c = layerConfig(l);
    return (c.batch_input_shape ?? c.batchInputShape ?? c.batch_shape) as unknown;
  };
  const inputs = Array.isArray(config?.input_layers) ? (config.input_layers as unknown[]) : null;
  if (inputs) {
    if (inputs.length !== 1)
      fail(`The model has ${inputs.length} inputs; only models with one input can be benchmarked.`);
    const name = Array.isArray(inputs[0]) ? inputs[0][0] : null;
    const layer = layers.find((l) => isObj(l) && (l.name === name || layerConfig(l).name === name));
    const shape = shapeOf(layer);
    if (Array.isArray(shape)) return shape;
  }
  const first = layers.find((l) => Array.isArray(shapeOf(l)));
  if (first) return shapeOf(first) as unknown[];
  fail('model.json does not say the input shape (no batch_input_shape on its first layer).');
}

/** Checks what can be checked before reading any file: how many there are and how big. */
export function precheckFiles(files: readonly { name: string; size: number }[]): void {
  if (files.length === 0) fail('No files were chosen.');
  if (files.length > MAX_FILES) {
    fail(
      `${files.length} files is too many: a model is one model.json and its weight shards (at most ${MAX_FILES}).`,
    );
  }
  const total = files.reduce((a, f) => a + f.size, 0);
  if (total > MAX_WEIGHT_BYTES + 16 * 1024 * 1024)
    fail(`These files hold ${mb(total)}; the limit here is ${mb(MAX_WEIGHT_BYTES)} of weights.`);
}

/** Checks the files and builds the model artifacts; throws ModelFileError with a clear message. */
export function parseUserModel(files: readonly ModelFile[]): UserModel {
  precheckFiles(files.map((f) => ({ name: f.name, size: f.data.byteLength })));
  const jsons = files.filter((f) => f.name.toLowerCase().endsWith('.json'));
  if (jsons.length === 0) fail('Choose the model.json file together with its weight files.');
  if (jsons.length > 1)
    fail(`Choose one model at a time: ${jsons.map((f) => f.name).join(', ')} are all JSON files.`);
  const jsonFile = jsons[0];

  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(jsonFile.data));
  } catch (err) {
    fail(`${jsonFile.name} is not valid JSON (${(err as Error).message}).`);
  }
  if (!isObj(json)) fail(`${jsonFile.name} does not hold a model description.`);
  if (
    json.format === 'graph-model' ||
    (isObj(json.modelTopology) && 'node' in json.modelTopology)
  ) {
    fail(
      `${jsonFile.name} is a graph model; only tfjs layers models (tf.loadLayersModel) can be benchmarked here.`,
    );
  }
  if (!isObj(json.modelTopology))
    fail(`${jsonFile.name} is not a tfjs layers model: it has no "modelTopology".`);

  const { paths, specs } = readManifest(json);
  const declared = specs.reduce((a, s) => a + specBytes(s), 0);
  if (declared > MAX_WEIGHT_BYTES)
    fail(
      `model.json declares ${mb(declared)} of weights; the limit here is ${mb(MAX_WEIGHT_BYTES)}.`,
    );

  const byName = new Map(files.filter((f) => f !== jsonFile).map((f) => [f.name, f]));
  const missing = paths.filter((p) => !byName.has(baseName(p)));
  if (missing.length)
    fail(
      `Missing weight file${missing.length > 1 ? 's' : ''}: ${missing.map(baseName).join(', ')}.`,
    );
  const named = new Set(paths.map(baseName));
  const extra = [...byName.keys()].filter((n) => !named.has(n));
  if (extra.length)
    fail(`File${extra.length > 1 ? 's' : ''} not named in model.json: ${extra.join(', ')}.`);
  const shards = paths.map((p) => byName.get(baseName(p))!);
  const empty = shards.filter((f) => f.data.byteLength === 0);
  if (empty.length)
    fail(
      `Weight file${empty.length > 1 ? 's are' : ' is'} empty: ${empty.map((f) => f.name).join(', ')}.`,
    );
  const actual = shards.reduce((a, f) => a + f.data.byteLength, 0);
  if (actual !== declared) {
    fail(
      `The weight files hold ${actual.toLocaleString('en')} bytes, but model.json declares ${declared.toLocaleString('en')} bytes.`,
    );
  }

  const shape = topologyInputShape(json.modelTopology);
  const rest = shape.slice(1);
  if (shape.length < 2 || !rest.every((d) => Number.isInteger(d) && (d as number) > 0)) {
    fail(
      `Input shape ${JSON.stringify(shape)} is not supported: only the batch dimension may be unknown (null).`,
    );
  }
  const inputShape = rest as number[];
  const inputElements = inputShape.reduce((a, d) => a * d, 1);
  if (inputElements > 64 * 1024 * 1024)
    fail(
      `Input shape ${JSON.stringify(shape)} is too large to benchmark (${inputElements.toLocaleString('en')} values per image).`,
    );

  const weightData = new Uint8Array(actual);
  shards.reduce((at, f) => (weightData.set(new Uint8Array(f.data), at), at + f.data.byteLength), 0);
  checkFinite(weightData.buffer, specs);
  return {
    name: jsonFile.name,
    inputShape,
    weightBytes: actual,
    artifacts: {
      modelTopology: json.modelTopology,
      format: typeof json.format === 'string' ? json.format : undefined,
      generatedBy: typeof json.generatedBy === 'string' ? json.generatedBy : undefined,
      convertedBy: typeof json.convertedBy === 'string' ? json.convertedBy : undefined,
      weightSpecs: specs as io.WeightsManifestEntry[],
      weightData: weightData.buffer,
    },
  };
}
