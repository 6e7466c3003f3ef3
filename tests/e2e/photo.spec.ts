import { expect, test, type Page } from '@playwright/test';
import { SHARE_TARGET_FIELD, SHARE_TARGET_PATH } from '../../src/lib/pwa/share-target.ts';
import { photoOf } from './paper.ts';
import { waitForServiceWorker } from './pwa.ts';

const sorted = (xs: string[]) => [...xs].sort();
const numbersRead = async (page: Page) =>
  sorted(await page.getByTestId('number').allTextContents());

/** Waits until the photo named `name` is shown with the numbers `expected`. */
async function expectRead(page: Page, name: string, expected: string[]) {
  await expect(page.getByTestId('photo-status')).toContainText(`${name}:`, { timeout: 60_000 });
  await expect.poll(() => numbersRead(page)).toEqual(sorted(expected));
  await expect(
    page.getByRole('img', { name: 'The page you gave, with the digits found boxed' }),
  ).toBeVisible();
  await expect(page.getByTestId('overlay')).toHaveAttribute(
    'data-digits',
    String(expected.join('').length),
  );
}

/** Hands `file` to the page as a drop or a paste would, with the browser's own DataTransfer. */
async function handOver(page: Page, how: 'drop' | 'paste', file: ReturnType<typeof photoOf>) {
  await page.evaluate(
    ({ how, name, mimeType, bytes }) => {
      const data = new DataTransfer();
      data.items.add(new File([new Uint8Array(bytes)], name, { type: mimeType }));
      if (how === 'paste') {
        document.body.dispatchEvent(
          new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
        );
      } else {
        const zone = document.querySelector('[data-testid="drop-zone"]')!;
        for (const type of ['dragover', 'drop']) {
          zone.dispatchEvent(
            new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }),
          );
        }
      }
    },
    { how, name: file.name, mimeType: file.mimeType, bytes: [...file.buffer] },
  );
}

test('a photo picked, dropped or pasted is read: boxes, digits and the numbers; nothing is sent', async ({
  page,
  context,
}) => {
  const requests: string[] = [];
  context.on('request', (r) => requests.push(`${r.method()} ${r.url()}`));
  await page.goto('./#/photo');
  await waitForServiceWorker(page);

  const picked = photoOf(['31', '4159'], 11);
  await page.getByTestId('photo-input').setInputFiles(picked);
  await expectRead(page, picked.name, ['31', '4159']);
  await expect(page.getByTestId('photo-status')).toContainText(/shown in [\d.]+ ms · 640×480/);

  // Reading more photos sends nothing (the reader and its model are in place by now).
  const before = requests.length;
  const dropped = photoOf(['808', '52'], 14);
  await handOver(page, 'drop', dropped);
  await expectRead(page, dropped.name, ['808', '52']);

  const pasted = photoOf(['6', '2718'], 15, 'png');
  await handOver(page, 'paste', pasted);
  await expectRead(page, pasted.name, ['6', '2718']);
  // Nothing is sent: the only requests allowed are GETs of the app's own code (a backend's chunk, loaded
  // when the batch workload is measured in the background) and of blob: URLs, which are objects in this
  // page's memory (WASM's thread workers, the picture shown) and never leave the device.
  const code =
    /^GET (http:\/\/127\.0\.0\.1:\d+\/assets\/[\w.-]+\.(js|wasm)|blob:http:\/\/127\.0\.0\.1:\d+\/[\w-]{36})$/;
  expect(requests.slice(before).filter((r) => !code.test(r))).toEqual([]);
  const origin = new URL(page.url()).origin;
  expect(
    requests.filter((r) => !r.startsWith(`GET ${origin}/`) && !r.startsWith(`GET blob:${origin}/`)),
  ).toEqual([]);
});

test('a file that is not an image gets one line, and the photo shown stays', async ({ page }) => {
  await page.goto('./#/photo');
  const good = photoOf(['90'], 21);
  await page.getByTestId('photo-input').setInputFiles(good);
  await expectRead(page, good.name, ['90']);

  await page.getByTestId('photo-input').setInputFiles({
    name: 'notes.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('not a picture'),
  });
  await expect(page.getByTestId('photo-error')).toHaveText(
    '“notes.txt” could not be read: it is text/plain, not an image.',
  );
  // A file that claims to be an image but is not one.
  await page.getByTestId('photo-input').setInputFiles({
    name: 'broken.jpg',
    mimeType: 'image/jpeg',
    buffer: Buffer.from('this is no jpeg'),
  });
  await expect(page.getByTestId('photo-error')).toHaveText(
    '“broken.jpg” could not be read: it is not an image this browser can read.',
  );
  // The last good photo and its numbers are still shown.
  await expect(page.getByTestId('photo-status')).toContainText(`${good.name}:`);
  expect(await numbersRead(page)).toEqual(['90']);
});

test('share target: an image shared to the app opens on the photo page and is read, offline too', async ({
  browser,
}) => {
  // The share sheet POSTs a form to the app; the test does the same from a page of the app, so the CSP's
  // form-action (the app itself never posts a form) is bypassed for this context only.
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await page.goto('./');
  await waitForServiceWorker(page);
  const manifest = await page.evaluate(async () =>
    (await fetch(document.querySelector<HTMLLinkElement>('link[rel="manifest"]')!.href)).json(),
  );
  expect(manifest.share_target).toMatchObject({
    action: SHARE_TARGET_PATH,
    method: 'POST',
    enctype: 'multipart/form-data',
    params: { files: [{ name: SHARE_TARGET_FIELD, accept: ['image/*'] }] },
  });

  await context.setOffline(true);
  const shared = photoOf(['1999', '64'], 33);
  await page.evaluate(
    ({ action, field, name, mimeType, bytes }) => {
      const form = Object.assign(document.createElement('form'), {
        method: 'POST',
        action,
        enctype: 'multipart/form-data',
      });
      const input = Object.assign(document.createElement('input'), { type: 'file', name: field });
      const files = new DataTransfer();
      files.items.add(new File([new Uint8Array(bytes)], name, { type: mimeType }));
      input.files = files.files;
      form.append(input);
      document.body.append(form);
      form.submit();
    },
    {
      action: SHARE_TARGET_PATH,
      field: SHARE_TARGET_FIELD,
      name: shared.name,
      mimeType: shared.mimeType,
      bytes: [...shared.buffer],
    },
  );
  await page.waitForURL(/#\/photo/);
  await expectRead(page, shared.name, ['1999', '64']);
  // The shared image was taken out of storage when it was opened.
  expect(
    await page.evaluate(
      () =>
        new Promise((resolve) => {
          const open = indexedDB.open('keyval-store');
          open.onsuccess = () => {
            const get = open.result
              .transaction('keyval')
              .objectStore('keyval')
              .get('photo:shared-image');
            get.onsuccess = () => resolve(get.result ?? null);
          };
        }),
    ),
  ).toBeNull();
  await context.close();
});
