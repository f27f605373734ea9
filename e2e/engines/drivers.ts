/**
 * One small driver interface for the cross-engine journey, and its two implementations: Gecko
 * (Debian's firefox-esr through puppeteer-core over WebDriver BiDi) and WebKit (WebKitWebDriver and its
 * MiniBrowser, W3C WebDriver). Clicks, typing, files and strokes are real input events from the driver,
 * never events made up in the page.
 */
import { existsSync } from 'node:fs';
import { expect } from '@playwright/test';
import puppeteer, { type Browser, type ElementHandle, type Page } from 'puppeteer-core';
import { findExpression, SNAPSHOT, type Query, type Snapshot } from './in-page';
import { startWebKitDriver, webkitPaths, WebDriverSession, type ElementRef, type PointerStep } from './webdriver';

export interface EngineDriver {
  /** `Gecko (Firefox 153.8.0esr)` */
  readonly description: string;
  goto(url: string): Promise<void>;
  reload(): Promise<void>;
  snapshot(): Promise<Snapshot>;
  /** Click the element `query` names, once it is there, visible and enabled (waits up to `timeoutMs`). */
  click(query: Query, timeoutMs?: number): Promise<void>;
  /** Replace the text of the field `query` names. */
  fill(query: Query, text: string): Promise<void>;
  /** Choose the file at `path` in the file input `query` names. */
  upload(query: Query, path: string): Promise<void>;
  /** Draw strokes with the mouse on the element `query` names; points are in its CSS pixels / `scaleFrom` × its width. */
  draw(query: Query, strokes: [number, number][][], scaleFrom: number): Promise<void>;
  close(): Promise<void>;
}

/** Wait until `find` gives something, as a person waits for it to appear (polling, not a fixed pause). */
async function waitFor<T>(find: () => Promise<T | null>, what: string, timeoutMs: number): Promise<T> {
  let found: T | null = null;
  await expect.poll(async () => (found = await find()) !== null, { message: `${what}: not found`, timeout: timeoutMs }).toBe(true);
  return found!;
}

const describe = (query: Query) => `${query.role} “${query.name}”`;

export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

/** Gecko, or null when Firefox is not installed. */
export async function launchGecko(): Promise<EngineDriver | null> {
  if (!existsSync(FIREFOX_PATH)) return null;
  const browser: Browser = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX_PATH, headless: true });
  const page: Page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  const version = await browser.version();
  const element = (query: Query, timeoutMs = 30_000) =>
    waitFor(
      async () => {
        const handle = await page.evaluateHandle(findExpression(query));
        const el = handle.asElement() as ElementHandle<Element> | null;
        if (!el) await handle.dispose();
        return el;
      },
      describe(query),
      timeoutMs,
    );
  return {
    description: `Gecko (${version})`,
    goto: async (url) => void (await page.goto(url)),
    reload: async () => void (await page.reload()),
    snapshot: () => page.evaluate(SNAPSHOT) as Promise<Snapshot>,
    click: async (query, timeoutMs) => (await element(query, timeoutMs)).click(),
    fill: async (query, text) => {
      const el = await element(query);
      await el.click({ count: 3 });
      await page.keyboard.press('Backspace');
      await el.type(text);
    },
    upload: async (query, path) => {
      const el = (await element(query)) as ElementHandle<HTMLInputElement>;
      await el.uploadFile(path);
    },
    draw: async (query, strokes, scaleFrom) => {
      const el = await element(query);
      await el.scrollIntoView();
      // A scroll may still be moving the pad (smoothly, or late on a busy machine): draw where it settles,
      // once two looks in a row find it in the same place.
      let box = (await el.boundingBox())!;
      await expect
        .poll(async () => {
          const before = box;
          box = (await el.boundingBox())!;
          return box.x === before.x && box.y === before.y;
        })
        .toBe(true);
      const at = ([x, y]: [number, number]) => [box.x + (x * box.width) / scaleFrom, box.y + (y * box.height) / scaleFrom] as const;
      for (const stroke of strokes) {
        await page.mouse.move(...at(stroke[0]));
        await page.mouse.down();
        for (const point of stroke.slice(1)) await page.mouse.move(...at(point), { steps: 6 });
        await page.mouse.up();
      }
    },
    close: () => browser.close(),
  };
}

/** WebKit, Safari's engine, or null when Debian's webkit2gtk-driver is not installed. */
export async function launchWebKit(): Promise<EngineDriver | null> {
  const paths = webkitPaths();
  if (!paths) return null;
  const driver = await startWebKitDriver(paths.driver);
  let session: WebDriverSession;
  try {
    session = await WebDriverSession.start(driver.url, {
      'webkitgtk:browserOptions': { binary: paths.browser, args: ['--automation'] },
    });
  } catch (error) {
    driver.stop();
    throw error;
  }
  await session.execute('window.resizeTo(1280, 900)').catch(() => {});
  const element = (query: Query, timeoutMs = 30_000) =>
    waitFor(() => session.execute<ElementRef | null>(`return ${findExpression(query)};`), describe(query), timeoutMs);
  const caps = session.capabilities;
  return {
    description: `WebKit (${String(caps.browserName)} ${String(caps.browserVersion)}, WebKitGTK)`,
    goto: async (url) => void (await session.navigate(url)),
    reload: async () => void (await session.refresh()),
    snapshot: () => session.execute<Snapshot>(`return ${SNAPSHOT};`),
    click: async (query, timeoutMs) => void (await session.click(await element(query, timeoutMs))),
    fill: async (query, text) => {
      const el = await element(query);
      await session.clear(el);
      await session.sendKeys(el, text);
    },
    upload: async (query, path) => void (await session.sendKeys(await element(query), path)),
    draw: async (query, strokes, scaleFrom) => {
      const el = await element(query);
      await session.execute('arguments[0].scrollIntoView({ block: "center" });', [el]);
      const { width, height } = await session.execute<{ width: number; height: number }>(
        'const r = arguments[0].getBoundingClientRect(); return { width: r.width, height: r.height };',
        [el],
      );
      // WebDriver's element origin is the element's centre.
      const at = ([x, y]: [number, number]) => ({
        x: Math.round((x * width) / scaleFrom - width / 2),
        y: Math.round((y * height) / scaleFrom - height / 2),
      });
      const steps: PointerStep[] = [];
      for (const stroke of strokes) {
        steps.push({ type: 'pointerMove', ...at(stroke[0]), origin: el }, { type: 'pointerDown', button: 0 });
        for (let i = 1; i < stroke.length; i++) {
          // Each segment in a few moves, as a hand makes them.
          const [from, to] = [stroke[i - 1], stroke[i]];
          for (let k = 1; k <= 6; k++) {
            const point: [number, number] = [from[0] + ((to[0] - from[0]) * k) / 6, from[1] + ((to[1] - from[1]) * k) / 6];
            steps.push({ type: 'pointerMove', ...at(point), origin: el, duration: 10 });
          }
        }
        steps.push({ type: 'pointerUp', button: 0 });
      }
      await session.pointer(steps);
    },
    close: async () => {
      await session.close().catch(() => {});
      driver.stop();
    },
  };
}
