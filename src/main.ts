import { mount } from 'svelte';
import App from './App.svelte';
import { pwa } from './lib/pwa/pwa.svelte.ts';
import './app.css';

let app: ReturnType<typeof mount> | undefined;

/** Replaces the frame index.html painted before any script ran with the app (same boxes, nothing moves). */
function start() {
  if (app) return;
  const target = document.getElementById('app')!;
  target.replaceChildren();
  app = mount(App, { target });
  if (document.readyState === 'complete') registerWhenIdle();
  else addEventListener('load', registerWhenIdle, { once: true });
}

// The app takes over once the painted frame is on screen: it then counts as the page's first and largest
// paint, and mounting runs in a task of its own. A hidden tab gets no animation frames, hence the timer.
requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(start)));
setTimeout(start, 500);

// The service worker (and workbox-window with it) waits until the app is mounted, the page has loaded and the
// browser is idle, so that it never delays the first prediction or blocks the page at load, and its notices
// (at the end of the page) come after the parts the app mounts first, which would push them down.
function registerWhenIdle() {
  if ('requestIdleCallback' in globalThis)
    requestIdleCallback(() => pwa.start(), { timeout: 3000 });
  else setTimeout(() => pwa.start(), 200);
}
