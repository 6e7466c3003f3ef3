/**
 * JPEG, PNG and Y4M files from RGBA pixels, and back, in plain JS (jpeg-js, pngjs): the paper set's
 * photos and the fake camera's video need no native image library.
 */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

/** RGBA pixels, row-major, as a rendered scene carries them. */
export interface RgbaImage {
  rgba: Uint8ClampedArray;
  width: number;
  height: number;
}

/** A decoded file's RGBA pixels. */
export interface DecodedImage {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

function bytesOf(image: RgbaImage): Buffer {
  const { rgba, width, height } = image;
  if (rgba.length !== width * height * 4) throw new Error(`expected ${width}×${height}×4 bytes`);
  return Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength);
}

/** A baseline JPEG at `quality` (1–100); low quality gives a phone photo's block artefacts. */
export function encodeJpeg(image: RgbaImage, quality = 85): Buffer {
  return jpeg.encode({ data: bytesOf(image), width: image.width, height: image.height }, quality)
    .data;
}

/** A lossless RGB PNG (the alpha channel is dropped: scenes are opaque). */
export function encodePng(image: RgbaImage): Buffer {
  const png = new PNG({ width: image.width, height: image.height });
  png.data = bytesOf(image);
  return PNG.sync.write(png, { colorType: 2, inputColorType: 6, deflateLevel: 6 });
}

/** Decodes a JPEG or a PNG (told apart by their signatures) to RGBA. */
export function decodeImage(bytes: Uint8Array): DecodedImage {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer[0] === 0x89 && buffer.toString('latin1', 1, 4) === 'PNG') {
    const { data, width, height } = PNG.sync.read(buffer);
    return {
      data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength),
      width,
      height,
    };
  }
  if (buffer[0] === 0xff && buffer[1] === 0xd8) {
    const { data, width, height } = jpeg.decode(buffer, { useTArray: true, formatAsRGBA: true });
    return {
      data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength),
      width,
      height,
    };
  }
  throw new Error('not a JPEG or PNG file');
}

/** Y4M sample range: Chromium's fake camera reads frames as limited range, whatever the header. */
export type YuvRange = 'limited' | 'full';

const byte = (v: number) => Math.min(255, Math.max(0, Math.round(v)));

/** The image's luma (Y) plane as a camera's video frame holds it: BT.601, limited range unless `full`. */
export function yPlane(image: RgbaImage, range: YuvRange = 'limited'): Uint8Array {
  const [luma, black] = range === 'full' ? [1, 0] : [219 / 255, 16];
  const { rgba, width, height } = image;
  const out = new Uint8Array(width * height);
  for (let i = 0; i < width * height; i++) {
    const [r, g, b] = [rgba[i * 4], rgba[i * 4 + 1], rgba[i * 4 + 2]];
    out[i] = byte(black + luma * (0.299 * r + 0.587 * g + 0.114 * b));
  }
  return out;
}

/** Writes one frame's Y, then U, then V planes (4:2:0, chroma centred, BT.601) at `at`. */
function writeFrame(image: RgbaImage, out: Buffer, at: number, range: YuvRange): void {
  const chroma = range === 'full' ? 1 : 224 / 255;
  const { rgba, width, height } = image;
  const u = at + width * height;
  const v = u + (width / 2) * (height / 2);
  out.set(yPlane(image, range), at);
  for (let y = 0, c = 0; y < height; y += 2) {
    for (let x = 0; x < width; x += 2, c++) {
      const [p, q] = [(y * width + x) * 4, ((y + 1) * width + x) * 4];
      const mean = (k: number) =>
        (rgba[p + k] + rgba[p + 4 + k] + rgba[q + k] + rgba[q + 4 + k]) / 4;
      const [r, g, b] = [mean(0), mean(1), mean(2)];
      out[u + c] = byte(128 + chroma * (-0.168736 * r - 0.331264 * g + 0.5 * b));
      out[v + c] = byte(128 + chroma * (0.5 * r - 0.418688 * g - 0.081312 * b));
    }
  }
}

/**
 * A YUV4MPEG2 video of the frames, which Chromium plays as `--use-file-for-fake-video-capture`.
 * Limited range by default, so the browser's frames match the RGBA given (checked in Chromium:
 * full range comes out brighter, with whites clipped).
 */
export function y4mVideo(
  frames: readonly RgbaImage[],
  fps = 30,
  range: YuvRange = 'limited',
): Buffer {
  if (frames.length === 0) throw new Error('a video needs at least one frame');
  const { width, height } = frames[0];
  if (width % 2 || height % 2) throw new Error(`4:2:0 needs even sizes, not ${width}×${height}`);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`);
  const frameHeader = Buffer.from('FRAME\n');
  const frameBytes = frameHeader.length + (width * height * 3) / 2;
  const out = Buffer.alloc(header.length + frames.length * frameBytes);
  header.copy(out);
  frames.forEach((frame, k) => {
    if (frame.width !== width || frame.height !== height) throw new Error('frames differ in size');
    const at = header.length + k * frameBytes;
    frameHeader.copy(out, at);
    writeFrame(frame, out, at + frameHeader.length, range);
  });
  return out;
}
