import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const train = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'cli/train.ts', ...args], { encoding: 'utf8' });

describe('npm run train', () => {
  it("prints the book's line for each epoch", () => {
    const result = train('--hidden', '30', '--epochs', '2', '--examples', '5000', '--seed', '3');
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    lines.forEach((line, epoch) => expect(line).toMatch(new RegExp(`^Epoch ${epoch}: \\d{4} / 10000, took \\d+\\.\\d\\d seconds$`)));
    expect(Number(lines[1].split(' ')[2])).toBeGreaterThan(7500);
  });

  it('--save writes a network2.py model that --load reads back with the same test count', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mnist-')), 'model.json');
    const trained = train(
      '--epochs',
      '1',
      '--examples',
      '4000',
      '--cost',
      'cross-entropy',
      '--init',
      'scaled',
      '--eta',
      '0.5',
      '--save',
      file,
    );
    expect(trained.status).toBe(0);
    const correct = /Epoch 0: (\d+) \/ 10000/.exec(trained.stdout)![1];
    expect(trained.stdout).toContain(`Saved 784-30-10 to ${file}`);
    const loaded = train('--load', file);
    expect(loaded.status).toBe(0);
    expect(loaded.stdout.trim()).toBe(`Loaded model 784-30-10: ${correct} / 10000`);
  });

  it('--load refuses a broken model file with the reason, exit status 2', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mnist-')), 'broken.json');
    writeFileSync(file, '{"sizes": [784, 30, 10]');
    const result = train('--load', file);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^train: --load: .*broken\.json: Not a model file: it is not valid JSON/);
  });

  it('stops a run whose weights blow up, naming the epoch and what to change, exit status 1', () => {
    const result = train('--epochs', '3', '--examples', '5000', '--eta', '1000', '--lambda', '1000');
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim()).toBe(
      'Epoch 0: the weights became NaN or infinite. Try a smaller learning rate than η = 1000 or a smaller λ than 1000 (the weight decay 1 − ηλ/n must stay between 0 and 1).',
    );
  });

  it('explains every flag with --help', () => {
    const result = train('--help');
    expect(result.status).toBe(0);
    for (const flag of [
      '--hidden',
      '--epochs',
      '--batch',
      '--eta',
      '--seed',
      '--examples',
      '--kernel',
      '--cost',
      '--lambda',
      '--init',
      '--early-stopping',
      '--save',
      '--load',
    ])
      expect(result.stdout).toContain(flag);
  });

  it.each([
    [['--speed', '3'], "train: Unknown option '--speed'"],
    [['--eta=-2'], 'train: --eta: η must be greater than 0'],
    [['--eta', '0'], 'train: --eta: η must be greater than 0'],
    [['--hidden', '30,x'], 'train: --hidden: each layer size must be a number'],
    [['--epochs', '1.5'], 'train: --epochs: epochs must be a whole number'],
    [['--kernel', 'gpu'], 'train: --kernel: expected wasm or js, got gpu'],
  ])('refuses %j in one line and exits 2', (args, message) => {
    const result = train(...args);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(message);
  });
});
