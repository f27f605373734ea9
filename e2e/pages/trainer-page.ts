/** The page model: the UI contract's names (DESIGN.md) and what a person does with them. */
import { expect, type Locator, type Page } from '@playwright/test';

export type Field = 'Hidden layers' | 'Epochs' | 'Mini-batch size' | 'Learning rate (η)' | 'Seed' | 'Training examples';

/** Workers the page keeps when no run trains: the viewer's reader and the evaluator (src/ui/use-inspector.ts). */
export const INSPECTING_WORKERS = 2;

/** One epoch's line in the log, in the book's form. */
export const EPOCH_LINE = /Epoch (\d+): (\d+) \/ 10000, took ([\d.]+) seconds/;

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

  /** Draw strokes with the mouse; points are in pad units, 0–280 on each side. */
  async draw(strokes: [number, number][][]): Promise<void> {
    await this.pad.scrollIntoViewIfNeeded();
    const box = (await this.pad.boundingBox())!;
    const at = ([x, y]: [number, number]) => [box.x + (x / 280) * box.width, box.y + (y / 280) * box.height] as const;
    for (const stroke of strokes) {
      await this.page.mouse.move(...at(stroke[0]));
      await this.page.mouse.down();
      for (const p of stroke.slice(1)) await this.page.mouse.move(...at(p), { steps: 4 });
      await this.page.mouse.up();
    }
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
