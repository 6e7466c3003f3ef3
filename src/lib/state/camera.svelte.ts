/**
 * The live camera: the stream (rear camera preferred, or the one picked), the frame loop and what it read.
 * Frames never queue (LatestOnly, as the drawing pad's): while one is read in the worker, only the newest
 * frame delivered meanwhile waits (older ones are skipped) and is read as soon as the worker answers. The loop
 * stops while the tab is hidden (the camera's tracks are disabled) and the camera is released when the page is
 * left. The page's main thread only wraps each frame (a VideoFrame, moved to the worker, not copied) and paints
 * the boxes it gets back.
 */
import { cameraErrorMessage } from '../camera/camera-errors.ts';
import { FrameStats, framesSince, type FrameFigures } from '../camera/frame-stats.ts';
import { errorMessage } from '../errors.ts';
import { LatestOnly } from '../latest-only.ts';
import { MARKS } from '../marks.ts';
import type { Reading } from '../vision/read-picture.ts';
import { reader } from './reader.svelte.ts';

export type CameraStatus = 'off' | 'starting' | 'live' | 'paused' | 'error';

/** A camera the user can pick. */
export interface CameraDevice {
  deviceId: string;
  label: string;
}

/** Longest side frames are read at: 640 × 480 fits finding the digits plus one predict in a frame's time. */
const FRAME_SIDE = 640;

/** How often the figures shown are refreshed (ms); the counting itself is per frame. */
const FIGURES_INTERVAL_MS = 500;

const EMPTY_FIGURES: FrameFigures = {
  delivered: 0,
  dropped: 0,
  unseen: 0,
  processed: 0,
  fps: 0,
  processP95: NaN,
  latencyP95: NaN,
};

/**
 * The video's current frame, to move to the reader: a VideoFrame (its pixels as the camera gave them, no
 * copy here) where the browser has them, else a bitmap of it.
 */
async function grab(video: HTMLVideoElement): Promise<VideoFrame | ImageBitmap> {
  if (typeof VideoFrame !== 'undefined') {
    try {
      return new VideoFrame(video);
    } catch {
      // Not a frame this browser can wrap: a bitmap will do.
    }
  }
  return createImageBitmap(video);
}

class Camera {
  #status = $state<CameraStatus>('off');
  #error = $state('');
  #devices = $state.raw<CameraDevice[]>([]);
  #deviceId = $state<string | null>(null);
  #reading = $state.raw<Reading | null>(null);
  #figures = $state.raw<FrameFigures>(EMPTY_FIGURES);
  #size = $state.raw<{ width: number; height: number } | null>(null);
  #stream: MediaStream | null = null;
  #video: HTMLVideoElement | null = null;
  #frameHandle = 0;
  /**
   * Frames to read, by capture time: one is read at a time; the newest presented meanwhile waits (older ones
   * are skipped) and is read as soon as the worker answers, while the last one's overlay is painted.
   */
  #frames = new LatestOnly<number, { reading: Reading; capturedAt: number }>({
    work: async (capturedAt) => ({ reading: await this.#read(), capturedAt }),
    deliver: ({ reading, capturedAt }) => void this.#show(reading, capturedAt),
    // A frame that could not be read is skipped; the reader has moved to another backend if one broke.
    fail: (err) => console.warn(`[digit-lens] frame skipped: ${errorMessage(err)}`),
    dropped: () => this.#stats.dropped(),
  });
  #lastPresented = 0;
  #stats = new FrameStats();
  #lastFigures = 0;
  /** Bumped on every start and stop: a camera that starts after a newer start or a stop is let go. */
  #session = 0;

  get status() {
    return this.#status;
  }
  /** A one-line message when the camera cannot run. */
  get error() {
    return this.#error;
  }
  /** The cameras this device has (labels once permission is given). */
  get devices() {
    return this.#devices;
  }
  /** The camera in use. */
  get deviceId() {
    return this.#deviceId;
  }
  /** What the latest frame read holds. */
  get reading() {
    return this.#reading;
  }
  /** Live figures: frames delivered and processed, fps, processing and latency p95. */
  get figures() {
    return this.#figures;
  }
  /** The video's size, once it plays. */
  get size() {
    return this.#size;
  }

  /** Starts `deviceId` (or the rear camera) into `video` and reads its frames. */
  async start(video: HTMLVideoElement, deviceId: string | null = this.#deviceId): Promise<void> {
    this.stop();
    const session = ++this.#session;
    this.#status = 'starting';
    this.#error = '';
    this.#video = video;
    try {
      const media = globalThis.isSecureContext ? navigator.mediaDevices : undefined;
      if (!media?.getUserMedia) {
        throw Object.assign(new Error('no camera access'), { name: 'NoMediaDevicesError' });
      }
      const stream = await media.getUserMedia({
        audio: false,
        video: deviceId
          ? { deviceId: { exact: deviceId }, width: { ideal: 640 }, height: { ideal: 480 } }
          : { facingMode: { ideal: 'environment' }, width: { ideal: 640 }, height: { ideal: 480 } },
      });
      if (session !== this.#session) {
        stream.getTracks().forEach((t) => t.stop());
        return;
      }
      this.#stream = stream;
      this.#deviceId = stream.getVideoTracks()[0]?.getSettings().deviceId ?? deviceId;
      video.srcObject = stream;
      video.muted = true;
      video.playsInline = true;
      await video.play();
      if (session !== this.#session) return;
      this.#size = { width: video.videoWidth, height: video.videoHeight };
      void this.#listDevices(media);
      void reader
        .start()
        .catch((err) => this.#fail(`The reader could not start: ${errorMessage(err)}`));
      this.#stats.reset();
      this.#figures = EMPTY_FIGURES;
      this.#lastPresented = 0;
      this.#status = document.hidden ? 'paused' : 'live';
      if (this.#status === 'paused') this.#enableTracks(false);
      else this.#nextFrame();
    } catch (err) {
      if (session !== this.#session) return;
      this.stop();
      this.#status = 'error';
      this.#error = cameraErrorMessage(err, globalThis.isSecureContext);
    }
  }

  /** Switches to the camera `deviceId`. */
  pick(deviceId: string): Promise<void> {
    if (!this.#video) return Promise.resolve();
    return this.start(this.#video, deviceId);
  }

  /** Stops the camera: every track ends, the loop stops, the preview empties. */
  stop(): void {
    this.#session++;
    if (this.#frameHandle && this.#video) this.#video.cancelVideoFrameCallback(this.#frameHandle);
    this.#frameHandle = 0;
    this.#stream?.getTracks().forEach((t) => t.stop());
    this.#stream = null;
    if (this.#video) this.#video.srcObject = null;
    this.#frames.clear();
    this.#reading = null;
    if (this.#status !== 'error') this.#status = 'off';
  }

  /** The tab was hidden or shown again: stop reading frames (and disable the tracks) or go on. */
  visibilityChanged(hidden: boolean): void {
    if (hidden && this.#status === 'live') {
      this.#status = 'paused';
      // The figures shown are final while paused (a read still under way is dropped when it ends).
      this.#figures = this.#stats.figures(performance.now());
      this.#enableTracks(false);
      this.#frames.clear();
      if (this.#frameHandle && this.#video) this.#video.cancelVideoFrameCallback(this.#frameHandle);
      this.#frameHandle = 0;
    } else if (!hidden && this.#status === 'paused') {
      this.#enableTracks(true);
      this.#status = 'live';
      this.#lastPresented = 0;
      void this.#video?.play().catch(() => {});
      this.#nextFrame();
    }
  }

  #enableTracks(enabled: boolean): void {
    this.#stream?.getVideoTracks().forEach((t) => (t.enabled = enabled));
  }

  async #listDevices(media: MediaDevices): Promise<void> {
    const all = await media.enumerateDevices().catch(() => []);
    this.#devices = all
      .filter((d) => d.kind === 'videoinput')
      .map((d, i) => ({ deviceId: d.deviceId, label: d.label || `Camera ${i + 1}` }));
  }

  #nextFrame(): void {
    const video = this.#video;
    if (!video || this.#status !== 'live') return;
    this.#frameHandle = video.requestVideoFrameCallback((now, meta) => this.#onFrame(now, meta));
  }

  /** A frame was presented: count it, ask for it to be read, ask for the next. */
  #onFrame(now: number, meta: VideoFrameCallbackMetadata): void {
    this.#frameHandle = 0;
    if (this.#status !== 'live') return;
    const presented = meta.presentedFrames;
    const count = framesSince(this.#lastPresented, presented);
    this.#stats.delivered(count);
    // Frames the video presented between two callbacks were never offered to the reader.
    if (count > 1) this.#stats.unseen(count - 1);
    this.#lastPresented = presented;
    this.#frames.submit(meta.captureTime ?? now);
    this.#nextFrame();
  }

  /** Reads the video's current frame in the reader's worker. */
  async #read(): Promise<Reading> {
    const video = this.#video;
    if (!video) throw new Error('the camera has stopped');
    let frame: VideoFrame | ImageBitmap | null = null;
    try {
      frame = await grab(video);
      return await reader.read(frame, FRAME_SIDE);
    } finally {
      // Moved to the worker by then (closing it here does nothing), unless it never got there.
      frame?.close();
    }
  }

  /** Shows what a frame holds and counts it once its overlay is painted (not when paused or stopped). */
  async #show(reading: Reading, capturedAt: number): Promise<void> {
    if (this.#status !== 'live') return;
    this.#reading = reading;
    // The overlay is painted in the next frame: that is when the user sees the result.
    const paintedAt = await new Promise<number>((resolve) => requestAnimationFrame(resolve));
    if (this.#status !== 'live') return;
    this.#stats.processed(paintedAt, reading.timings.totalMs, paintedAt - capturedAt);
    performance.clearMeasures(MARKS.frame);
    performance.measure(MARKS.frame, {
      start: Math.max(0, Math.min(capturedAt, paintedAt)),
      end: paintedAt,
      detail: { ...reading.timings, digits: reading.digits.length, pixels: reading.pixels },
    });
    if (paintedAt - this.#lastFigures >= FIGURES_INTERVAL_MS) {
      this.#lastFigures = paintedAt;
      this.#figures = this.#stats.figures(paintedAt);
    }
  }

  #fail(message: string): void {
    this.stop();
    this.#status = 'error';
    this.#error = message;
  }
}

/** The app's one camera. */
export const camera = new Camera();
