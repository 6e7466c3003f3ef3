/**
 * A tiny static server for tests and benchmarks, like GitHub Pages: serves a build folder under a base path
 * and, unless asked, sends no COOP/COEP headers (the service worker must add them). The folder can be
 * swapped to simulate a deploy.
 */
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
export { ISOLATION_HEADERS } from '../src/lib/pwa/isolation.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.bin': 'application/octet-stream',
};

/** A running server; `root` can be changed at any time; `requests` lists every path asked for. */
export interface StaticServer {
  url: string;
  root: string;
  requests: string[];
  close(): Promise<void>;
}

/** Serves `root` under `base` (e.g. "/digits/") on a free loopback port, adding `headers` to every response. */
export async function serveStatic(
  root: string,
  base = '/',
  headers: Record<string, string> = {},
): Promise<StaticServer> {
  const state = { root, requests: [] as string[] };
  const server: Server = createServer(async (req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]);
    state.requests.push(path);
    if (!path.startsWith(base)) {
      res.writeHead(404).end();
      return;
    }
    let rel = normalize(path.slice(base.length)).replace(/^(\.\.[/\\])+/, '');
    if (rel === '' || rel === '.' || rel.endsWith('/')) rel = join(rel, 'index.html');
    try {
      const body = await readFile(join(state.root, rel));
      res.writeHead(200, {
        'Content-Type': TYPES[extname(rel)] ?? 'application/octet-stream',
        'Cache-Control': 'no-cache',
        ...headers,
      });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}${base}`,
    get root() {
      return state.root;
    },
    set root(dir: string) {
      state.root = dir;
    },
    get requests() {
      return state.requests;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
