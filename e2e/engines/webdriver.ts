/**
 * Just enough of W3C WebDriver (classic, over HTTP) to drive WebKit through Debian's `WebKitWebDriver`:
 * a session, navigation, scripts, element clicks and keys, and pointer actions. WebKitWebDriver starts
 * `MiniBrowser --automation` itself; it needs a display, so without one it runs under `xvfb-run`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { expect } from '@playwright/test';

/** The key under which WebDriver passes a DOM element to and from scripts. */
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

export type ElementRef = { [ELEMENT]: string };

/** One pointer action of WebDriver's Perform Actions, in the element's frame (origin: its centre). */
export type PointerStep =
  | { type: 'pointerMove'; x: number; y: number; origin?: ElementRef; duration?: number }
  | { type: 'pointerDown' | 'pointerUp'; button: 0 }
  | { type: 'pause'; duration: number };

export class WebDriverSession {
  private constructor(
    private readonly base: string,
    readonly capabilities: Record<string, unknown>,
  ) {}

  /** A new session on the driver at `driverUrl` with `capabilities` (W3C alwaysMatch). */
  static async start(driverUrl: string, capabilities: Record<string, unknown>): Promise<WebDriverSession> {
    const value = await command<{ sessionId: string; capabilities: Record<string, unknown> }>(`${driverUrl}/session`, 'POST', {
      capabilities: { alwaysMatch: capabilities },
    });
    return new WebDriverSession(`${driverUrl}/session/${value.sessionId}`, value.capabilities);
  }

  navigate(url: string): Promise<unknown> {
    return this.send('POST', '/url', { url });
  }

  refresh(): Promise<unknown> {
    return this.send('POST', '/refresh', {});
  }

  /** Run `body` (a function body: `return …`) in the page; DOM elements come back as references. */
  execute<T>(body: string, args: unknown[] = []): Promise<T> {
    return this.send('POST', '/execute/sync', { script: body, args });
  }

  click(element: ElementRef): Promise<unknown> {
    return this.send('POST', `/element/${element[ELEMENT]}/click`, {});
  }

  clear(element: ElementRef): Promise<unknown> {
    return this.send('POST', `/element/${element[ELEMENT]}/clear`, {});
  }

  /** Type `text` into the element; for a file input, `text` is the path of the file to choose. */
  sendKeys(element: ElementRef, text: string): Promise<unknown> {
    return this.send('POST', `/element/${element[ELEMENT]}/value`, { text });
  }

  /** One mouse pointer's steps, then every button let go. */
  async pointer(steps: PointerStep[]): Promise<void> {
    await this.send('POST', '/actions', {
      actions: [{ type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' }, actions: steps }],
    });
    await this.send('DELETE', '/actions');
  }

  close(): Promise<unknown> {
    return this.send('DELETE', '');
  }

  private send<T>(method: string, path: string, body?: unknown): Promise<T> {
    return command<T>(`${this.base}${path}`, method, body);
  }
}

async function command<T>(url: string, method: string, body?: unknown): Promise<T> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const { value } = (await response.json()) as { value: T & { error?: string; message?: string } };
  if (!response.ok) throw new Error(`WebDriver ${method} ${url.replace(/^.*\/session\/[^/]+/, '')}: ${value.error}: ${value.message}`);
  return value;
}

/** Where Debian's webkit2gtk-driver and its MiniBrowser are (`WEBKIT_WEBDRIVER` and `WEBKIT_MINIBROWSER` override). */
export function webkitPaths(): { driver: string; browser: string } | null {
  const driver = process.env.WEBKIT_WEBDRIVER ?? '/usr/bin/WebKitWebDriver';
  const browser =
    process.env.WEBKIT_MINIBROWSER ??
    ['/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser', '/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser'].find(existsSync) ??
    '';
  return existsSync(driver) && existsSync(browser) ? { driver, browser } : null;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as { port: number };
  await new Promise((closed) => server.close(closed));
  return port;
}

/** WebKitWebDriver on a free port (under xvfb-run when there is no display), ready for sessions. */
export async function startWebKitDriver(driver: string): Promise<{ url: string; stop(): void }> {
  const port = await freePort();
  const args = [`--port=${port}`];
  const child: ChildProcess = process.env.DISPLAY
    ? spawn(driver, args, { stdio: 'ignore' })
    : spawn('xvfb-run', ['-a', driver, ...args], { stdio: 'ignore', detached: true });
  const url = `http://127.0.0.1:${port}`;
  const answers = async () => {
    if (child.exitCode !== null) throw new Error(`WebKitWebDriver ended with status ${child.exitCode}`);
    return fetch(`${url}/status`).then(
      (status) => status.ok,
      () => false,
    );
  };
  await expect.poll(answers, { message: 'WebKitWebDriver answers on its port', timeout: 30_000 }).toBe(true);
  return {
    url,
    // xvfb-run's process group holds Xvfb, the driver and the browsers it started.
    stop: () => {
      try {
        if (child.pid && !process.env.DISPLAY) process.kill(-child.pid, 'SIGTERM');
        else child.kill('SIGTERM');
      } catch {
        // Already gone.
      }
    },
  };
}
