/** The files of a build, as paths relative to it, and which of them the service worker should precache. */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PRECACHED } from '../src/lib/pwa/precache.ts';

/** Every file below `dist`, relative to it. */
export function buildFiles(dist: string): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : [relative(dist, path)];
    });
  return walk(dist);
}

/** The files the service worker should precache: all that match the globs but the worker itself. */
export function precachedFiles(dist: string): string[] {
  return buildFiles(dist).filter(
    (f) => PRECACHED.test(f) && f !== 'sw.js' && !f.startsWith('workbox-'),
  );
}
