/** The page model: the UI contract's names (DESIGN.md) and what a person does with them. */
import { expect, type Locator, type Page } from '@playwright/test';

export type Field =
  'Hidden layers' | 'Epochs' | 'Mini-batch size' | 'Learning rate (η)' | 'Seed' | 'Training examples' | 'Seeds per network';

/** Workers the page keeps when no run trains: the viewer's reader and the evaluator (src/ui/inspector/use-inspector.ts). */
export const INSPECTING_WORKERS = 2;

/** One epoch's line in the log, in the book's form. */
export const EPOCH_LINE = /Epoch (\d+): (\d+) \/ 10000, took ([\d.]+) seconds/;

/** An ellipse as a closed stroke, in pad units. */
export const ellipse = (cx: number, cy: number, rx: number, ry: number): [number, number][] =>
  Array.from({ length: 41 }, (_, i) => [cx + rx * Math.sin((i / 40) * 2 * Math.PI), cy - ry * Math.cos((i / 40) * 2 * Math.PI)]);

/** Strokes, in pad units (0–280 on each side), that a network trained for a few epochs reads as these digits. */
export const DIGIT_STROKES: Record<'1' | '7' | '0', [number, number][][]> = {
  '1': [
    [
      [150, 40],
      [146, 120],
      [140, 240],
    ],
  ],
  '7': [
    [
      [70, 55],
      [210, 55],
      [170, 130],
      [125, 240],
    ],
  ],
  '0': [ellipse(140, 140, 55, 90)],
};

export class TrainerPage {
  readonly trainButton: Locator;
  readonly stopButton: Locator;
  readonly compareButton: Locator;
  readonly log: Locator;
  readonly progress: Locator;
  readonly chart: Locator;
  readonly viewer: Locator;
  readonly runs: Locator;
  readonly pad: Locator;
  readonly prediction: Locator;
  readonly clearButton: Locator;
  readonly imageFile: Locator;

  constructor(readonly page: Page) {
    this.trainButton = page.getByRole('button', { name: 'Train', exact: true });
    this.stopButton = page.getByRole('button', { name: 'Stop', exact: true });
    this.compareButton = page.getByRole('button', { name: 'Compare 30 vs 100 hidden' });
    this.log = page.getByRole('log', { name: 'Training log' });
    this.progress = page.getByRole('progressbar', { name: 'Epoch progress', exact: true });
    this.chart = page.getByRole('img', { name: 'Accuracy per epoch' });
    this.viewer = page.getByRole('region', { name: 'Digit viewer' });
    this.runs = page.getByRole('list', { name: 'Runs' });
    this.pad = page.getByLabel('Drawing pad');
    this.prediction = page.getByRole('status', { name: 'Prediction' });
    this.clearButton = page.getByRole('button', { name: 'Clear', exact: true });
    this.imageFile = page.getByLabel('Classify an image file');
  }

  /** Open the app at `url` (the test server's root by default). */
  async open(url = '/'): Promise<void> {
    await this.page.goto(url);
    await expect(this.page.getByRole('heading', { level: 1 })).toBeVisible();
  }

  /** Wait until MNIST is loaded: the viewer shows its first test digit. */
  async mnistLoaded(timeout?: number): Promise<void> {
    await expect(this.viewer.getByText('test #0')).toBeVisible({ timeout });
  }

  field(name: Field): Locator {
    return this.page.getByLabel(name, { exact: true });
  }

  /** Fill settings by label, e.g. { Epochs: '1', 'Training examples': '5000' }. */
  async set(settings: Partial<Record<Field, string>>): Promise<void> {
    for (const [name, value] of Object.entries(settings)) await this.field(name as Field).fill(value);
  }

  /** The log's epoch lines, parsed. */
  async epochLines(): Promise<{ text: string; epoch: number; correct: number; seconds: number }[]> {
    const texts = await this.log.getByRole('listitem').allTextContents();
    return texts.flatMap((text) => {
      const m = EPOCH_LINE.exec(text);
      return m ? [{ text, epoch: Number(m[1]), correct: Number(m[2]), seconds: Number(m[3]) }] : [];
    });
  }

  /**
   * Draw strokes with the mouse, or with a finger (touch events, as a phone sends them; the page needs a
   * touch viewport); points are in pad units, 0–280 on each side.
   */
  async draw(strokes: [number, number][][], { finger = false } = {}): Promise<void> {
    await this.pad.scrollIntoViewIfNeeded();
    const box = (await this.pad.boundingBox())!;
    const at = ([x, y]: [number, number]) => [box.x + (x / 280) * box.width, box.y + (y / 280) * box.height] as const;
    if (finger) return this.touchStrokes(strokes.map((stroke) => stroke.map(at)));
    for (const stroke of strokes) {
      await this.page.mouse.move(...at(stroke[0]));
      await this.page.mouse.down();
      for (const p of stroke.slice(1)) await this.page.mouse.move(...at(p), { steps: 4 });
      await this.page.mouse.up();
    }
  }

  /** Touch start, moves (four steps between points) and end, through the browser's input pipeline. */
  private async touchStrokes(strokes: (readonly [number, number])[][]): Promise<void> {
    const cdp = await this.page.context().newCDPSession(this.page);
    const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', points: (readonly [number, number])[]) =>
      cdp.send('Input.dispatchTouchEvent', { type, touchPoints: points.map(([x, y]) => ({ x, y })) });
    for (const stroke of strokes) {
      await touch('touchStart', [stroke[0]]);
      for (let i = 1; i < stroke.length; i++) {
        const [x0, y0] = stroke[i - 1];
        const [x1, y1] = stroke[i];
        for (let step = 1; step <= 4; step++) await touch('touchMove', [[x0 + ((x1 - x0) * step) / 4, y0 + ((y1 - y0) * step) / 4]]);
      }
      await touch('touchEnd', []);
    }
    await cdp.detach();
  }

  /** Choose chapter 6's network `id` (the book's settings for it fill in), then `settings`, once MNIST is loaded. */
  async chapter6(id: string, settings: Partial<Record<Field, string>> = {}): Promise<void> {
    await this.mnistLoaded();
    await this.page.getByLabel('Network kind').selectOption('convolutional');
    await this.page.getByLabel('Chapter 6 network').selectOption(id);
    await this.set(settings);
  }

  /** Train the default network briefly and wait until it is done. */
  async trainBriefly(epochs = 3): Promise<void> {
    await this.set({ Epochs: String(epochs) });
    await this.trainButton.click();
    await expect(this.run('Run 1')).toContainText('finished', { timeout: 90_000 });
  }

  run(name: string): Locator {
    return this.runs.getByRole('listitem', { name, exact: true });
  }
}
