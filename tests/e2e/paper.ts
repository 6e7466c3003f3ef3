/** Photos of numbers written on paper (held-out MNIST digits, never trained on), as files a user would have. */
import { encodeJpeg, encodePng } from '../../scripts/image-codecs.ts';
import { renderScene } from '../../scripts/paper-digits.ts';

/** A clean 640×480 photo of `numbers`, as a file for Playwright's setInputFiles (or a drop or paste). */
export function photoOf(numbers: string[], seed: number, type: 'jpeg' | 'png' = 'jpeg') {
  const scene = renderScene({ seed, condition: 'clean', numbers });
  return {
    name: `numbers-${seed}.${type === 'jpeg' ? 'jpg' : 'png'}`,
    mimeType: `image/${type}`,
    buffer: type === 'jpeg' ? encodeJpeg(scene, 90) : encodePng(scene),
  };
}
