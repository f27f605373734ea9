/**
 * How long the page's own thread is kept busy, measured so that a busy machine cannot fail it: Chromium's
 * trace gives each main-thread task its wall time and its thread (CPU) time. On a loaded machine the
 * renderer is descheduled and wall times stretch (55–231 ms were seen with three busy processes on two
 * cores), while the CPU time a task takes stays what the page's code costs. Tasks that carry the test
 * driver's DevTools messages (Playwright polling a locator: up to 52 ms of CPU once on a loaded machine)
 * are the test's work, not the page's, and are left out.
 */
import type { Browser, Page } from '@playwright/test';

export interface MainThreadTask {
  /** Wall-clock milliseconds. */
  wallMs: number;
  /** Milliseconds the main thread actually ran. */
  cpuMs: number;
  /** What took the time, for the test's output: the longest events inside the task. */
  parts: string[];
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: {
    name?: string;
    data?: { functionName?: string; url?: string; lineNumber?: number };
    chrome_mojo_event_info?: { mojo_interface_tag?: string };
  };
}

/** A task that carries a DevTools message is the test driver's (Playwright's queries and evaluations), not the page's. */
function isDriverMessage(e: TraceEvent): boolean {
  return e.name === 'Receive mojo message' && e.args?.chrome_mojo_event_info?.mojo_interface_tag === 'blink.mojom.DevToolsSession';
}

/** Run `action` while tracing and return the renderer main thread's tasks, longest CPU time first. */
export async function mainThreadTasks(browser: Browser, page: Page, action: () => Promise<void>): Promise<MainThreadTask[]> {
  await browser.startTracing(page, { categories: ['toplevel', 'disabled-by-default-devtools.timeline', 'v8', 'blink'] });
  const done = action().then(
    () => null,
    (error: unknown) => ({ error }),
  );
  const failed = await done;
  const trace = await browser.stopTracing();
  if (failed) throw failed.error;
  const parsed = JSON.parse(trace.toString()) as { traceEvents: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
  const mainThreads = new Set(
    events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`),
  );
  const onMain = events.filter((e) => e.ph === 'X' && mainThreads.has(`${e.pid}:${e.tid}`));
  const driver = onMain.filter(isDriverMessage);
  const carriesDriver = (task: TraceEvent) =>
    driver.some((d) => d.tid === task.tid && d.pid === task.pid && d.ts >= task.ts && d.ts <= task.ts + (task.dur ?? 0));
  const tasks = onMain
    .filter((e) => e.name === 'RunTask' && e.tdur !== undefined && !carriesDriver(e))
    .sort((a, b) => (b.tdur ?? 0) - (a.tdur ?? 0))
    .map((task, rank) => ({
      wallMs: (task.dur ?? 0) / 1000,
      cpuMs: (task.tdur ?? 0) / 1000,
      parts: rank < 3 ? partsOf(task, onMain) : [],
    }));
  if (tasks.length === 0) throw new Error('the trace holds no main-thread tasks with thread times: nothing was measured');
  return tasks;
}

/** The longest events inside `task` (its own thread, its time span), named for a reader. */
function partsOf(task: TraceEvent, onMain: TraceEvent[]): string[] {
  const end = task.ts + (task.dur ?? 0);
  return onMain
    .filter(
      (e) =>
        e !== task && e.pid === task.pid && e.tid === task.tid && e.ts >= task.ts && e.ts + (e.dur ?? 0) <= end && !/RunTask/.test(e.name),
    )
    .sort((a, b) => (b.tdur ?? b.dur ?? 0) - (a.tdur ?? a.dur ?? 0))
    .slice(0, 4)
    .map((e) => {
      const data = e.args?.data;
      const where =
        data?.functionName || data?.url
          ? ` ${data.functionName ?? ''}${data.url ? ` ${data.url.split('/').pop()}:${data.lineNumber}` : ''}`
          : '';
      const mojo = e.args?.chrome_mojo_event_info?.mojo_interface_tag;
      return `${e.name}${mojo ? ` [${mojo}]` : ''}${where} ${((e.tdur ?? e.dur ?? 0) / 1000).toFixed(1)} ms`;
    });
}

/** The longest tasks, for the test's output: `12.3 ms CPU (20.1 ms wall)`. */
export function describeTasks(tasks: MainThreadTask[], count = 3): string {
  return tasks
    .slice(0, count)
    .map((t) => `${t.cpuMs.toFixed(1)} ms CPU (${t.wallMs.toFixed(1)} ms wall${t.parts.length ? `: ${t.parts.join(', ')}` : ''})`)
    .join('; ');
}
