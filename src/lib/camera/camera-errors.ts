/**
 * What went wrong with the camera, in one line a person can act on. Every message ends by pointing to the
 * photo page, which reads the same numbers from a picture without a live camera.
 */

/** Where the photo path is, as the messages name it. */
export const PHOTO_HINT = 'You can read a photo instead.';

/** The one-line message for a failure to start the camera (`getUserMedia`'s errors, by name). */
export function cameraErrorMessage(err: unknown, secureContext: boolean): string {
  if (!secureContext) {
    return `The camera needs a secure page (https or localhost); this one is not. ${PHOTO_HINT}`;
  }
  const name = err instanceof Error || err instanceof DOMException ? err.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return `Camera access was denied. Allow it in the browser's site settings and try again. ${PHOTO_HINT}`;
    case 'NotFoundError':
    case 'OverconstrainedError':
      return `No camera was found on this device. ${PHOTO_HINT}`;
    case 'NotReadableError':
    case 'AbortError':
      return `The camera is in use by another app or tab, or it stopped responding. Close the other app and try again. ${PHOTO_HINT}`;
    case 'NoMediaDevicesError':
      return `This browser has no camera access here. ${PHOTO_HINT}`;
    default: {
      const detail = err instanceof Error ? err.message : String(err);
      return `The camera could not start (${detail || 'no reason given'}). ${PHOTO_HINT}`;
    }
  }
}
