/**
 * Service-worker registration and the update flow: "ready to work offline" once (remembered), and an
 * "update available" prompt when a new build is waiting; accepting it activates the new worker and reloads.
 * Also keeps the browser's install prompt, if one is offered.
 */
import { registerSW } from 'virtual:pwa-register';
import { get, set } from 'idb-keyval';
import { KEYS } from '../storage/keys.ts';
import { orderNotices, type Notice } from './notice-order.ts';

interface InstallPromptEvent extends Event {
  prompt(): Promise<void>;
  userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

class Pwa {
  #needRefresh = $state(false);
  #offlineReady = $state(false);
  #installEvent = $state.raw<InstallPromptEvent | null>(null);
  #supported = 'serviceWorker' in navigator;
  #update: ((reload?: boolean) => Promise<void>) | null = null;
  /** The notices that apply, in the order they appeared (a derivation of the flags and of its own past). */
  #notices = $state.raw<Notice[]>([]);

  /** A new version is installed and waits for the user. */
  get needRefresh() {
    return this.#needRefresh;
  }
  /** The app was just cached for offline use (shown once). */
  get offlineReady() {
    return this.#offlineReady;
  }
  /** The browser offers to install the app. */
  get canInstall() {
    return this.#installEvent !== null;
  }
  /** The notices to show, in the order they appeared: a new one never moves one already shown. */
  get notices(): readonly Notice[] {
    return this.#notices;
  }
  /** Service workers are available here (not in some private windows). */
  get supported() {
    return this.#supported;
  }

  /** Registers the service worker; safe to call where service workers are unavailable. */
  start(): void {
    addEventListener('beforeinstallprompt', (e) => {
      e.preventDefault();
      this.#installEvent = e as InstallPromptEvent;
      this.#reorder();
    });
    addEventListener('appinstalled', () => {
      this.#installEvent = null;
      this.#reorder();
    });
    if (!this.#supported) return;
    this.#update = registerSW({
      onNeedRefresh: () => {
        this.#needRefresh = true;
        this.#reorder();
      },
      onOfflineReady: () => this.#announceOffline(),
      onRegisterError: (err: unknown) => console.warn('Service worker registration failed', err),
    });
  }

  async #announceOffline(): Promise<void> {
    const shown = await get<boolean>(KEYS.offlineNoticeShown).catch(() => false);
    if (shown) return;
    this.#offlineReady = true;
    this.#reorder();
    await set(KEYS.offlineNoticeShown, true).catch(() => {});
  }

  /** Activates the waiting version and reloads into it. */
  async applyUpdate(): Promise<void> {
    // vite-plugin-pwa reloads only for updates its own Workbox instance saw start; an update found by a
    // later check (registration.update()) would activate without a reload, leaving old code with a new
    // worker. Reload on the controller change ourselves.
    navigator.serviceWorker?.addEventListener('controllerchange', () => location.reload(), {
      once: true,
    });
    await this.#update?.(true);
  }

  dismiss(): void {
    this.#needRefresh = false;
    this.#offlineReady = false;
    this.#reorder();
  }

  /** Shows the browser's install dialog. */
  async install(): Promise<void> {
    const event = this.#installEvent;
    if (!event) return;
    await event.prompt();
    await event.userChoice;
    this.#installEvent = null;
    this.#reorder();
  }

  /** Called after every change of the flags above. */
  #reorder(): void {
    const due: Notice[] = [];
    if (this.#needRefresh || this.#offlineReady) due.push('status');
    if (this.#installEvent) due.push('install');
    this.#notices = orderNotices(this.#notices, due);
  }
}

/** The one PWA controller of the app. */
export const pwa = new Pwa();
