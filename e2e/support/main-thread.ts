/**
 * How long the page's own thread is kept busy, measured so that a busy machine cannot fail it: Chromium's
 * trace gives each main-thread task its wall time and its thread (CPU) time. On a loaded machine the
 * renderer is descheduled and wall times stretch (55–231 ms were seen with three busy processes on two
 * cores), while the CPU time a task takes stays what the page's code costs.
 */
import type { Browser, Page } from '@playwright/test';

export interface MainThreadTask {
  /** Wall-clock milliseconds. */
  wallMs: number;
  /** Milliseconds the main thread actually ran. */
  cpuMs: number;
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/** Run `action` while tracing and return the renderer main thread's tasks, longest CPU time first. */
export async function mainThreadTasks(browser: Browser, page: Page, action: () => Promise<void>): Promise<MainThreadTask[]> {
  await browser.startTracing(page, { categories: ['toplevel', 'disabled-by-default-devtools.timeline'] });
  const done = action().then(
    () => null,
    (error: unknown) => ({ error }),
  );
  const failed = await done;
  const trace = await browser.stopTracing();
  if (failed) throw failed.error;
  const parsed = JSON.parse(trace.toString()) as { traceEvents: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
  const mainThreads = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const tasks = events
    .filter((e) => e.ph === 'X' && e.name === 'RunTask' && mainThreads.has(`${e.pid}:${e.tid}`) && e.tdur !== undefined)
    .map((e) => ({ wallMs: (e.dur ?? 0) / 1000, cpuMs: (e.tdur ?? 0) / 1000 }));
  if (tasks.length === 0) throw new Error('the trace holds no main-thread tasks with thread times: nothing was measured');
  return tasks.sort((a, b) => b.cpuMs - a.cpuMs);
}

/** The longest tasks, for the test's output: `12.3 ms CPU (20.1 ms wall)`. */
export function describeTasks(tasks: MainThreadTask[], count = 3): string {
  return tasks
    .slice(0, count)
    .map((t) => `${t.cpuMs.toFixed(1)} ms CPU (${t.wallMs.toFixed(1)} ms wall)`)
    .join(', ');
}
