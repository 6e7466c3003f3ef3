/**
 * `npm run bench:longtasks`: the page's main-thread tasks on a first visit (fresh profile, production build),
 * from a Chromium trace, each with what ran in it. Durations are given as on a CPU 4× slower, Lighthouse's
 * mobile preset: by default the page runs at full speed and each task's time is multiplied by 4, as
 * Lighthouse's simulation does; SLOWDOWN=4 throttles the CPU for real instead (Chromium's CPU throttling).
 * Each task also shows its CPU time (on a busy machine a task's wall time includes waiting for a core, which
 * is not the app's cost) and whether the app's scripts ran in it or only the browser (parsing, layout, paint). RUNS first visits (default 3); TRACE_OUT=path keeps each trace as path-N.json.
 */
import { writeFileSync } from 'node:fs';
import type { Browser } from '@playwright/test';
import { withServedBuild, runIfMain } from './bench-harness.ts';
import { MARKS } from '../src/lib/marks.ts';
import { median } from '../src/lib/ml/stats.ts';

/** Lighthouse's mobile preset runs the CPU this many times slower. */
const MOBILE_SLOWDOWN = 4;
/** A task longer than this blocks input (the long-task threshold), in ms at the mobile preset's speed. */
const LONG_MS = 50;

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  /** The thread's CPU time in the event (µs). */
  tdur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: Record<string, unknown> };
}

/** One main-thread task: when it started (ms after navigation), its wall and CPU time, its largest parts. */
export interface MainTask {
  startMs: number;
  ms: number;
  cpuMs: number;
  /** The app's script that ran in it (file name), else 'browser' (parsing, layout, paint, navigation). */
  source: string;
  parts: string[];
}

/** A readable name for a trace event: the function and script it ran, or what the browser did. */
function describe(e: TraceEvent): string {
  const d = e.args?.data ?? {};
  const file = typeof d.url === 'string' && d.url ? ` ${d.url.split('/').pop()}` : '';
  if (e.name === 'FunctionCall') return `FunctionCall ${d.functionName || '(anonymous)'}${file}`;
  if (e.name === 'TimerFire' || e.name === 'EventDispatch')
    return `${e.name}${d.type ? ` ${d.type}` : ''}`;
  return `${e.name}${file}`;
}

/**
 * The top-level tasks of the main thread of the renderer that loaded `url`, longest first, in ms scaled by
 * `scale` (4 for a trace taken at full speed, 1 for one taken with the CPU throttled 4×).
 */
export function mainThreadTasks(events: TraceEvent[], url: string, scale: number): MainTask[] {
  // The page's main thread is the one that started the navigation to, parsed or requested `url` (the first,
  // about:blank one does none of these; which of them a trace holds varies from run to run), asked in that
  // order: the request may be logged by another process.
  const marks: ((e: TraceEvent) => boolean)[] = [
    (e) => e.name === 'navigationStart' && e.args?.data?.documentLoaderURL === url,
    (e) =>
      e.name === 'ParseHTML' && (e.args as { beginData?: { url?: string } }).beginData?.url === url,
    (e) => e.name === 'ResourceSendRequest' && e.args?.data?.url === url,
  ];
  const main = marks.map((mark) => events.find(mark)).find(Boolean);
  if (!main) throw new Error(`no renderer main thread for ${url} in the trace`);
  // Times count from the page's own navigation (an about:blank one before it may share the renderer).
  const nav =
    main.name === 'navigationStart'
      ? main
      : (events.find((e) => e.name === 'navigationStart' && e.pid === main.pid) ?? main);
  const onMain = events
    .filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur !== undefined)
    .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  // Top-level tasks: RunTask events not inside another one (the list is sorted by start).
  const tasks: TraceEvent[] = [];
  for (const e of onMain) {
    const last = tasks[tasks.length - 1];
    if (e.name === 'RunTask' && (!last || e.ts >= last.ts + last.dur!)) tasks.push(e);
  }
  const ms = (us: number | undefined) => ((us ?? NaN) / 1000) * scale;
  const origin = new URL(url).origin;
  // What ran the app's code: a call into it, or its modules' evaluation (the only modules on the page).
  const script = (e: TraceEvent) => {
    if (e.name === 'v8.evaluateModule') return 'modules';
    const src = e.args?.data?.url;
    const ran = e.name === 'FunctionCall' || e.name === 'EvaluateScript';
    return ran && typeof src === 'string' && src.startsWith(origin) ? src : '';
  };
  return tasks
    .map((t) => {
      const inside = onMain.filter(
        (e) => e.ts >= t.ts && e.ts + e.dur! <= t.ts + t.dur! && !e.name.endsWith('RunTask'),
      );
      const ran = inside.map(script).find(Boolean);
      return {
        startMs: (t.ts - nav.ts) / 1000,
        ms: ms(t.dur),
        cpuMs: ms(t.tdur),
        source: ran ? ran.split('/').pop()! : 'browser',
        parts: parts(inside),
      };
    })
    .sort((a, b) => b.ms - a.ms);

  /** The largest events in a task, as "12 ms Layout". */
  function parts(inside: TraceEvent[]): string[] {
    return inside
      .filter((e) => ms(e.dur) >= 8)
      .sort((a, b) => b.dur! - a.dur!)
      .slice(0, 5)
      .map((e) => `${ms(e.dur).toFixed(0)} ms ${describe(e)}`);
  }
}

/** One first visit in a fresh context, traced until the recognizer is ready and the page has settled. */
async function traceFirstVisit(browser: Browser, url: string, slowdown: number) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  if (slowdown !== 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: slowdown });
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', ({ value }) =>
    events.push(...(value as unknown as TraceEvent[])),
  );
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', {
    traceConfig: {
      includedCategories: [
        'devtools.timeline',
        'disabled-by-default-devtools.timeline',
        'toplevel',
        'blink.user_timing', // navigationStart
      ],
    },
    transferMode: 'ReportEvents',
  });
  await page.goto(url);
  // Polled with plain evaluations: waitForFunction would load Playwright's selector engine into the page,
  // itself a long task.
  const until = Date.now() + 60_000;
  const ready = () => page.evaluate((m) => performance.getEntriesByName(m).length > 0, MARKS.ready);
  while (!(await ready())) {
    if (Date.now() > until) throw new Error('the recognizer was not ready within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  // What follows start-up counts too: the service worker's registration, the backend choice's hand-over.
  await new Promise((resolve) => setTimeout(resolve, 3000 * slowdown));
  await cdp.send('Tracing.end');
  await complete;
  await context.close();
  return events;
}

runIfMain(import.meta.url, async () => {
  const runs = Number(process.env.RUNS ?? 3);
  const slowdown = Number(process.env.SLOWDOWN ?? 1);
  const scale = MOBILE_SLOWDOWN / slowdown;
  const how = slowdown === 1 ? 'full speed, times ×4' : `CPU throttled ${slowdown}×`;
  const longest: number[] = [];
  const appLongest: number[] = [];
  const appCpu: number[] = [];
  await withServedBuild(async (browser, url) => {
    for (let i = 1; i <= runs; i++) {
      const events = await traceFirstVisit(browser, url, slowdown);
      if (process.env.TRACE_OUT)
        writeFileSync(
          `${process.env.TRACE_OUT}-${i}.json`,
          JSON.stringify({ traceEvents: events }),
        );
      const tasks = mainThreadTasks(events, url, scale);
      const long = tasks.filter((t) => t.ms > LONG_MS);
      const [top] = tasks;
      const app = tasks.filter((t) => t.source !== 'browser');
      longest.push(top.ms);
      appLongest.push(app[0]?.ms ?? 0);
      appCpu.push(Math.max(0, ...app.map((t) => t.cpuMs)));
      console.log(
        `\nrun ${i} (${how}): longest task ${top.ms.toFixed(0)} ms (${top.source}), ` +
          `${long.length} over ${LONG_MS} ms; the app's scripts: longest ${appLongest[i - 1].toFixed(0)} ms, ` +
          `most CPU in one ${appCpu[i - 1].toFixed(0)} ms`,
      );
      for (const t of long) {
        console.log(
          `  ${t.ms.toFixed(0)} ms (CPU ${t.cpuMs.toFixed(0)} ms) at ${t.startMs.toFixed(0)} ms, ${t.source}: ${t.parts.join('; ')}`,
        );
      }
    }
  });
  console.log(
    `\nmedian of ${runs} (${how}): longest task ${median(longest).toFixed(0)} ms; the app's scripts: ` +
      `longest ${median(appLongest).toFixed(0)} ms, most CPU in one ${median(appCpu).toFixed(0)} ms`,
  );
});
