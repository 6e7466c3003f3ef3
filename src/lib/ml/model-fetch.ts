/**
 * Downloads a tfjs layers model (model.json + weight shards) with byte progress and checks the weights'
 * SHA-256. No DOM: uses fetch, streams and SubtleCrypto, so it runs in pages, workers and Node.
 */
import type { io } from './tf.ts';

/** Bytes received so far and the total, when known. */
export type Progress = (loaded: number, total: number | null) => void;

/** A model whose weights do not hash to the expected value. */
export class ModelIntegrityError extends Error {
  override name = 'ModelIntegrityError';
}

/** Lowercase hex SHA-256 of `data`. */
export async function sha256Hex(data: ArrayBuffer): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', data);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

async function readAll(response: Response, onChunk: (n: number) => void): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    size += value.byteLength;
    onChunk(value.byteLength);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

async function get(url: string): Promise<Response> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response;
}

/** Fetches model.json at `url` and its shards; verifies the weights against `expectedSha256`. */
export async function fetchModelArtifacts(
  url: string,
  expectedSha256: string,
  onProgress: Progress = () => {},
): Promise<io.ModelArtifacts> {
  const json = (await (await get(url)).json()) as io.ModelJSON;
  const manifest = json.weightsManifest ?? [];
  const base = new URL('.', new URL(url, globalThis.location?.href ?? 'http://localhost/'));
  const paths = manifest.flatMap((group) => group.paths.map((p) => new URL(p, base).href));
  const responses = await Promise.all(paths.map(get));
  const lengths = responses.map((r) => Number(r.headers.get('content-length')));
  const total = lengths.every((n) => n > 0) ? lengths.reduce((a, b) => a + b, 0) : null;
  let loaded = 0;
  onProgress(0, total);
  const shards = await Promise.all(
    responses.map((r) =>
      readAll(r, (n) => {
        loaded += n;
        onProgress(loaded, total);
      }),
    ),
  );
  const weightData = new Uint8Array(shards.reduce((a, s) => a + s.byteLength, 0));
  shards.reduce((at, s) => (weightData.set(s, at), at + s.byteLength), 0);
  const hash = await sha256Hex(weightData.buffer);
  if (hash !== expectedSha256) {
    throw new ModelIntegrityError(
      `model weights hash ${hash.slice(0, 12)}… ≠ expected ${expectedSha256.slice(0, 12)}…`,
    );
  }
  return {
    modelTopology: json.modelTopology,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    userDefinedMetadata: json.userDefinedMetadata,
    weightSpecs: manifest.flatMap((group) => group.weights),
    weightData: weightData.buffer,
  };
}
