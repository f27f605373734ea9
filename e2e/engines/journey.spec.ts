/**
 * The app in the engines our users have besides Chromium: Gecko (Firefox) and WebKit (Safari's engine,
 * every iPhone's). One journey, driver-neutral (drivers.ts), over the built app on a plain static server:
 * the viewer shows digits; a run trains and prints exactly Node's counts (the SIMD build is the same IEEE
 * arithmetic everywhere); a drawn 1 is read; the run is kept over a reload; Compare fills its table; a
 * model file loads; chapter 6's ReLU convnet, chosen by a link, reads exactly Node's count; and, where the engine lets a service worker control a page under automation, a second
 * visit works with the server gone. In CI (`CI` set) a missing engine fails; elsewhere it is skipped.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { loadMnist } from '../../src/data/source-node';
import { sliceDataset } from '../../src/nn/dataset';
import { toNetwork2Json } from '../../src/nn/model-io';
import { Network } from '../../src/nn/network';
import { runSgd } from '../../src/nn/sgd';
import { Network3 } from '../../src/nn/network3/network3';
import { network3Preset } from '../../src/nn/network3/ladder';
import { network3Events } from '../../src/nn/network3/sgd3';
import { DIGIT_STROKES } from '../pages/trainer-page';
import { serveStatic, type StaticServer } from '../support/static-server';
import { launchGecko, launchWebKit, type EngineDriver } from './drivers';
import type { Snapshot } from './in-page';

/** MNIST's first test digit, a 7, photographed as a PNG. */
const PHOTO_OF_A_7 = fileURLToPath(new URL('../photos/test-0-label-7-dark-on-light.png', import.meta.url));

/** The run the journey trains: the book's network and step, on 50,000 examples, three epochs, seed 1, the SIMD build. */
const RUN = { epochs: 3, seed: 1 };
const EPOCH = /^Run 1 \(784-30-10\) · Epoch (\d+): (\d+) \/ 10000, took [\d.]+ seconds$/;

/** The chapter 6 run the journey trains: the ReLU convnet (99.23% in the book), one epoch of 2,000 examples. */
const CONVNET = { examples: 2000 };

/** What Node prints for RUN, and a model file with the count Node measures for it. */
function expectations(dir: string) {
  const data = loadMnist();
  const counts: number[] = [];
  runSgd(new Network([784, 30, 10], { seed: RUN.seed }), data.training, RUN.epochs, 10, 3.0, {
    test: data.test,
    kernel: 'simd',
    onEvent: (e) => void (e.kind === 'epoch' && counts.push(e.correct!)),
  });
  const model = new Network([784, 30, 10], { seed: 5 });
  runSgd(model, sliceDataset(data.training, 0, 5000), 1, 10, 3.0, { kernel: 'simd' });
  const modelFile = join(dir, 'network-784-30-10.json');
  writeFileSync(modelFile, JSON.stringify(toNetwork2Json(model.parameters())));
  // Chapter 6's ReLU convnet, one epoch of CONVNET.examples, on the SIMD build of its kernel.
  const preset = network3Preset('relu')!;
  let convnetCorrect = -1;
  for (const event of network3Events(
    new Network3(preset.layers, { seed: RUN.seed }),
    sliceDataset(data.training, 0, CONVNET.examples),
    1,
    preset.miniBatchSize,
    preset.eta,
    { test: data.test, lambda: preset.lambda, kernel: 'simd' },
  ))
    if (event.kind === 'epoch') convnetCorrect = event.correct!;
  return { counts, modelFile, modelCorrect: model.evaluate(data.test), convnetCorrect };
}

const ENGINES: [name: string, launch: () => Promise<EngineDriver | null>][] = [
  ['Gecko', launchGecko],
  ['WebKit', launchWebKit],
];

for (const [engine, launch] of ENGINES) {
  test.describe(engine, () => {
    test.describe.configure({ mode: 'serial', timeout: 180_000 });
    let driver: EngineDriver | null = null;
    let server: StaticServer;
    let dir: string;
    let expected: ReturnType<typeof expectations>;

    /** Poll the page until `check` holds for what it shows; the snapshot is the message when it never does. */
    const until = async (what: string, check: (s: Snapshot) => boolean, timeout = 60_000) => {
      let last: Snapshot | null = null;
      await expect
        .poll(
          async () => {
            last = await driver!.snapshot();
            return check(last);
          },
          { message: `${engine}: ${what}`, timeout, intervals: [100, 250, 500] },
        )
        .toBe(true)
        .catch((error: Error) => {
          throw new Error(`${error.message}\nThe page showed: ${JSON.stringify(last, null, 1)}`);
        });
      return last! as Snapshot;
    };
    const noAlerts = (s: Snapshot) => expect(s.alerts, `${engine}: alerts`).toEqual([]);

    test.beforeAll(async () => {
      driver = await launch();
      if (!driver && process.env.CI) throw new Error(`${engine} is not installed: .ci/run installs it with apt-get`);
      dir = mkdtempSync(join(tmpdir(), `mnist-live-${engine.toLowerCase()}-`));
      cpSync('dist', join(dir, 'dist'), { recursive: true });
      server = await serveStatic(join(dir, 'dist'));
      expected = expectations(dir);
      if (driver) console.log(`${engine}: ${driver.description}`);
    });
    test.afterAll(async () => {
      await driver?.close();
      await server?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });
    test.beforeEach(() => test.skip(!driver, `${engine} is not installed here`));

    test('opens, and the digit viewer shows MNIST’s first test digit', async () => {
      await driver!.goto(`${server.url}?kernel=simd&epochs=${RUN.epochs}&seed=${RUN.seed}`);
      const shown = await until('the viewer shows test #0, a 7', (s) => /test #0/.test(s.viewer) && /label 7/.test(s.viewer));
      noAlerts(shown);
    });

    test('trains the book’s network with exactly Node’s counts, and reads a drawn 1', async () => {
      await driver!.click({ role: 'button', name: 'Train' });
      const done = await until(
        `Run 1 prints ${RUN.epochs} epoch lines and finishes`,
        (s) => /finished/.test(s.runs[0] ?? '') && s.log.length >= RUN.epochs,
        120_000,
      );
      const counts = done.log.map((line) => EPOCH.exec(line)).map((m) => (m ? Number(m[2]) : null));
      expect(counts, `${engine}: the log`).toEqual(expected.counts);
      // The run's outcome stays on the progress card.
      expect(done.progress).toContain(`Run 1 finished: ${(expected.counts.at(-1)! / 100).toFixed(2)}%`);
      await driver!.draw({ role: 'labelled', name: 'Drawing pad' }, DIGIT_STROKES['1'], 280);
      // The pad reads as the stroke goes, too: on a busy machine a reading of part of the stroke may show
      // after the pen is lifted, until the last reading lands. Take the reading once it holds for a second.
      let since = { prediction: '', at: 0 };
      const read = await until('the pad reads a digit, and the reading holds', (s) => {
        if (s.prediction !== since.prediction) since = { prediction: s.prediction, at: Date.now() };
        return /^\d$/.test(s.prediction) && Date.now() - since.at >= 1000;
      });
      expect(read.prediction, `${engine}: the drawn 1 was read as ${read.prediction}`).toBe('1');
      noAlerts(read);
    });

    test('reads a photo of a digit, decoded in a worker of its own', async () => {
      await driver!.upload({ role: 'file', name: 'Classify an image file' }, PHOTO_OF_A_7);
      const read = await until('the pad shows the photo and reads it', (s) => s.prediction === '7' || s.alerts.length > 0);
      expect(read.prediction, `${engine}: the photo of a 7`).toBe('7');
      noAlerts(read);
    });

    test('keeps the run over a reload', async () => {
      await driver!.reload();
      const kept = await until(
        'Run 1 is back, finished, with its lines',
        (s) => /finished/.test(s.runs[0] ?? '') && s.log.length >= RUN.epochs,
      );
      expect(kept.runs).toHaveLength(1);
      expect(kept.log[0]).toContain(`Epoch 0: ${expected.counts[0]} / 10000`);
      expect(kept.log[0]).toContain('kept from an earlier visit');
    });

    test('Compare trains 784-30-10 against 784-100-10 and sums them up in the Comparison table', async () => {
      await driver!.fill({ role: 'field', name: 'Epochs' }, '1');
      await driver!.fill({ role: 'field', name: 'Training examples' }, '5000');
      await driver!.fill({ role: 'field', name: 'Seeds per network' }, '1');
      await driver!.click({ role: 'button', name: 'Compare 30 vs 100 hidden' });
      const compared = await until('the Comparison table has both networks', (s) => s.comparison.length === 2, 120_000);
      expect(compared.comparison[0]).toMatch(/^784-30-10/);
      expect(compared.comparison[1]).toMatch(/^784-100-10/);
      noAlerts(compared);
    });

    test('loads a model file in network2.py’s format and measures it as Node does', async () => {
      await driver!.upload({ role: 'file', name: 'Load model' }, expected.modelFile);
      const loaded = await until('the log says the model loaded', (s) =>
        s.log.some((line) => / · Loaded model 784-30-10: \d+ \/ 10000$/.test(line)),
      );
      const line = loaded.log.find((l) => l.includes('Loaded model'))!;
      const correct = Number(/: (\d+) \/ 10000$/.exec(line)![1]);
      // Measured on the browser's fastest build: with fused multiply-adds a digit on a tie may read otherwise.
      expect(Math.abs(correct - expected.modelCorrect), `${engine}: ${line}; Node: ${expected.modelCorrect}`).toBeLessThanOrEqual(5);
      noAlerts(loaded);
    });

    test('trains a chapter 6 convnet, chosen by a link, with exactly Node’s count', async () => {
      const preset = network3Preset('relu')!;
      await driver!.goto(
        `${server.url}?kernel=simd&kind=convolutional&chapter6=relu&eta=${preset.eta}&lambda=${preset.lambda}&epochs=1&trainingExamples=${CONVNET.examples}&seed=${RUN.seed}`,
      );
      await until('the viewer shows test #0', (s) => /test #0/.test(s.viewer));
      await driver!.click({ role: 'button', name: 'Train' });
      const trained = await until(
        'the convnet prints its epoch line',
        (s) => s.log.some((line) => /^Run \d+ \(conv 20-40 ReLU\) · Epoch 0: \d+ \/ 10000, took/.test(line)) || s.alerts.length > 0,
        120_000,
      );
      noAlerts(trained);
      const line = trained.log.find((l) => l.includes('conv 20-40 ReLU'))!;
      expect(Number(/Epoch 0: (\d+) \/ 10000/.exec(line)![1]), `${engine}: ${line}`).toBe(expected.convnetCorrect);
    });

    test('a second visit works with the server gone (where a service worker controls the page)', async () => {
      const before = await driver!.snapshot();
      test.skip(!before.controlled, `${engine} under automation: no service worker controls the page, so offline cannot be tried here`);
      expect(before.footer).toContain('works offline');
      await server.close();
      await expect(fetch(server.url), 'the server is gone').rejects.toThrow();
      await driver!.reload();
      const offline = await until('the page opens offline and shows digits', (s) => /test #0/.test(s.viewer));
      noAlerts(offline);
      await driver!.fill({ role: 'field', name: 'Epochs' }, '1');
      await driver!.fill({ role: 'field', name: 'Training examples' }, '2000');
      await driver!.click({ role: 'button', name: 'Train' });
      // Kept runs' lines end "(kept from an earlier visit)"; a line trained now ends as the book's does.
      const trained = await until('a run trains offline', (s) =>
        // The page opens with the settings of its address: the chapter 6 network of the step before.
        s.log.some((line) => /^Run \d+ \(conv 20-40 ReLU\) · Epoch 0: \d+ \/ 10000, took [\d.]+ seconds$/.test(line)),
      );
      noAlerts(trained);
    });
  });
}
