import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const train = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'cli/train.ts', ...args], { encoding: 'utf8' });

describe('npm run train', () => {
  it("prints the book's line for each epoch", () => {
    const result = train('--hidden', '30', '--epochs', '2', '--examples', '5000', '--seed', '3');
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    lines.forEach((line, epoch) => expect(line).toMatch(new RegExp(`^Epoch ${epoch}: \\d{4} / 10000, took \\d+\\.\\d\\d seconds$`)));
    expect(Number(lines[1].split(' ')[2])).toBeGreaterThan(7500);
  });

  it('explains every flag with --help', () => {
    const result = train('--help');
    expect(result.status).toBe(0);
    for (const flag of ['--hidden', '--epochs', '--batch', '--eta', '--seed', '--examples', '--kernel']) expect(result.stdout).toContain(flag);
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
