import { describe, expect, it } from 'vitest';
import { cameraErrorMessage, PHOTO_HINT } from '../../src/lib/camera/camera-errors.ts';
import { FrameStats, STATS_WINDOW, framesSince } from '../../src/lib/camera/frame-stats.ts';

const named = (name: string, message = '') => Object.assign(new Error(message), { name });

describe('camera error messages', () => {
  it('names each failure in one line and points to the photo path', () => {
    const cases: [unknown, boolean, RegExp][] = [
      [named('NotAllowedError'), true, /denied/],
      [named('NotFoundError'), true, /No camera was found/],
      [named('OverconstrainedError'), true, /No camera was found/],
      [named('NotReadableError'), true, /in use by another app/],
      [named('TypeError', 'bad constraints'), true, /could not start \(bad constraints\)/],
      [named('NotAllowedError'), false, /secure page/],
    ];
    for (const [err, secure, expected] of cases) {
      const message = cameraErrorMessage(err, secure);
      expect(message).toMatch(expected);
      expect(message.endsWith(PHOTO_HINT)).toBe(true);
      expect(message).not.toContain('\n');
    }
  });
});

describe('frame stats', () => {
  it('counts delivered, processed, dropped and unseen frames, fps over the last second, and p95s', () => {
    const stats = new FrameStats();
    stats.delivered(6);
    stats.dropped();
    stats.unseen(2);
    for (let i = 0; i < 20; i++) stats.processed(1000 + i * 100, i === 19 ? 50 : 5, 20 + i);
    const f = stats.figures(2900);
    expect(f.delivered).toBe(6);
    expect(f.processed).toBe(20);
    expect([f.dropped, f.unseen]).toEqual([1, 2]);
    // Painted at 1000, 1100, …, 2900: the ten in (1900, 2900].
    expect(f.fps).toBe(10);
    expect(f.processP95).toBe(5);
    expect(f.latencyP95).toBe(38);
  });

  it('counts the frames presented since the last callback: one each, more when some were never seen', () => {
    expect(framesSince(0, 57)).toBe(1); // the first callback (or the first after a pause)
    expect(framesSince(57, 58)).toBe(1);
    expect(framesSince(58, 61)).toBe(3); // two presented without a callback: unseen
    expect(framesSince(61, 61)).toBe(1); // a count that did not move on is still this frame
  });

  it('keeps only the recent window, and resets', () => {
    const stats = new FrameStats();
    for (let i = 0; i < STATS_WINDOW; i++) stats.processed(i, 100, 100);
    for (let i = 0; i < STATS_WINDOW; i++) stats.processed(1000 + i, 1, 1);
    stats.dropped();
    stats.unseen(1);
    expect(stats.figures(2000).processP95).toBe(1);
    stats.reset();
    const f = stats.figures(3000);
    expect([f.processed, f.delivered, f.dropped, f.unseen, f.fps]).toEqual([0, 0, 0, 0, 0]);
    expect(f.processP95).toBeNaN();
  });
});
