/** Photos of numbers written on paper (held-out MNIST digits, never trained on), as files a user would have. */
import { encodeJpeg, encodePng } from '../../scripts/image-codecs.ts';
import { renderScene } from '../../scripts/paper-digits.ts';

/**
 * A clean 640×480 photo of `numbers`, as a file for Playwright's setInputFiles (or a drop or paste). The
 * tests that use it check how a picture gets in and what is shown, so their scenes are ones the pipeline reads
 * right; it reads about 97 % of digits, which `npm run bench` measures per condition on 300 photos.
 */
export function photoOf(numbers: string[], seed: number, type: 'jpeg' | 'png' = 'jpeg') {
  const scene = renderScene({ seed, condition: 'clean', numbers });
  return {
    name: `numbers-${seed}.${type === 'jpeg' ? 'jpg' : 'png'}`,
    mimeType: `image/${type}`,
    buffer: type === 'jpeg' ? encodeJpeg(scene, 90) : encodePng(scene),
  };
}
