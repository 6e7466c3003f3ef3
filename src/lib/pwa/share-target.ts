/**
 * The installed app as a share target for images: one home for the manifest entry (vite.config.ts), the
 * service worker's route (src/sw.ts) and the page it opens.
 */

/** Where the share sheet POSTs the image, relative to the app's scope. */
export const SHARE_TARGET_PATH = 'share-target';

/** The form field that carries the image. */
export const SHARE_TARGET_FIELD = 'image';

/** The page a shared image opens on, relative to the app's scope. */
export const SHARED_PHOTO_ROUTE = '#/photo?shared=1';

/** The manifest's `share_target`. */
export const SHARE_TARGET = {
  action: SHARE_TARGET_PATH,
  method: 'POST',
  enctype: 'multipart/form-data',
  params: { files: [{ name: SHARE_TARGET_FIELD, accept: ['image/*'] }] },
} as const;
