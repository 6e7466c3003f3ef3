/// <reference lib="webworker" />
/**
 * The service worker: precaches the whole build (app shell, JS/CSS, icons, model, the tfjs .wasm files) and
 * serves it cache-first, adding COOP/COEP headers so the page is cross-origin isolated (WASM threads) even on
 * hosts that cannot send headers, like GitHub Pages. A new version waits until the user accepts the update.
 */
import { clientsClaim } from 'workbox-core';
import {
  addPlugins,
  cleanupOutdatedCaches,
  createHandlerBoundToURL,
  precacheAndRoute,
} from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { ISOLATION_HEADERS } from './lib/pwa/isolation.ts';
import {
  SHARE_TARGET_FIELD,
  SHARE_TARGET_PATH,
  SHARED_PHOTO_ROUTE,
} from './lib/pwa/share-target.ts';
import { keepSharedImage } from './lib/storage/shared-image.ts';

declare const self: ServiceWorkerGlobalScope;

function withIsolation(response: Response): Response {
  if (response.type === 'opaque' || response.status === 0) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION_HEADERS)) headers.set(name, value);
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

addPlugins([{ handlerWillRespond: async ({ response }) => withIsolation(response) }]);
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html')));

/**
 * The share target: an image shared from the system share sheet arrives as a POST here. It is kept on the
 * device (IndexedDB) and the photo page opens it; nothing goes to the network, so sharing works offline.
 */
registerRoute(
  ({ url }) => url.pathname.endsWith(`/${SHARE_TARGET_PATH}`),
  async ({ request }) => {
    const target = new URL(`./${SHARED_PHOTO_ROUTE}`, self.registration.scope);
    try {
      const form = await request.formData();
      const file = form.getAll(SHARE_TARGET_FIELD).find((f): f is File => f instanceof File);
      if (file) await keepSharedImage({ blob: file, name: file.name });
    } catch {
      // A share that cannot be read opens the photo page, which says nothing was received.
    }
    return Response.redirect(target.href, 303);
  },
  'POST',
);

// The first install takes control at once, so the first visit is ready offline; updates wait for the user.
clientsClaim();

self.addEventListener('message', (event) => {
  if (event.data?.type === 'SKIP_WAITING') self.skipWaiting();
});
