/**
 * The layers of DESIGN.md, checked on the real source: every import in src/ is read, and the graph must
 * keep its fences (allow-lists, not deny-lists) and have no cycle. ESLint says the same in the editor
 * (eslint.config.js); this test also sees what a lint rule cannot: cycles through several files.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const SRC = dirname(fileURLToPath(import.meta.url));

/** Each source file (relative to src/, tests left out) and what it imports: src/ paths without extension, or package names. */
type ImportGraph = Map<string, string[]>;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'build' || entry.name === 'fixtures' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.ts$|\.as\.ts$|test-helpers\.ts$/.test(entry.name) ? [path] : [];
  });
}

function readGraph(): ImportGraph {
  const graph: ImportGraph = new Map();
  for (const file of sourceFiles(SRC)) {
    const name = relative(SRC, file).replace(/\.tsx?$/, '');
    const text = readFileSync(file, 'utf8');
    const specifiers = [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/gm)].map((m) => m[1]);
    graph.set(
      name,
      specifiers.map((s) => (s.startsWith('.') ? normalize(join(dirname(name), s)).replace(/\.(mjs|js)$/, '') : s)),
    );
  }
  return graph;
}

/** What each part of src/ may import from src/ (by path prefix) and from packages; anything else is a breach. */
const ALLOWED: { files: RegExp; src: RegExp[]; packages: RegExp[] }[] = [
  // The engine: only itself (the generated kernel bytes included).
  { files: /^nn\//, src: [/^nn\//], packages: [] },
  // MNIST: the engine's dataset shapes; pako only in inflate.ts; Node only in source-node.ts.
  { files: /^data\/inflate$/, src: [/^nn\//, /^data\//], packages: [/^pako$/] },
  { files: /^data\/source-node$/, src: [/^nn\//, /^data\//], packages: [/^node:/] },
  { files: /^data\//, src: [/^nn\//, /^data\//], packages: [] },
  // The worker: the engine and the data; Comlink only at its entry.
  { files: /^worker\/\w+\.worker$/, src: [/^nn\//, /^data\//, /^worker\//], packages: [/^comlink$/] },
  { files: /^worker\//, src: [/^nn\//, /^data\//, /^worker\//], packages: [] },
  // The page: its own files, the worker's protocol (types), and only the pure helpers of the engine.
  { files: /^ui\/platform\/worker-client$/, src: [/^ui\//, /^worker\/protocol$/], packages: [/^comlink$/] },
  {
    files: /^ui\/|^main$/,
    src: [
      /^ui\//,
      /^worker\/protocol$/,
      /^nn\/(config|settings|format|mnist-shape|comparison|explain|book|any-model)$/,
      // Chapter 6's layers and presets as data, its file format, and one digit's pass through its layers (the Network region).
      /^nn\/network3\/(layers|ladder|model-io3|network3)$/,
    ],
    packages: [
      /^react(-dom)?(\/client)?$/,
      /^chart\.js$/,
      /^react-chartjs-2$/,
      /^idb-keyval$/,
      /^valibot$/,
      /^react-error-boundary$/,
      /^virtual:pwa-register$/,
      /\.css$/,
    ],
  },
];

/** Every import that leaves the allow-list of its file, as "file → import". */
function breaches(graph: ImportGraph): string[] {
  const found: string[] = [];
  for (const [file, imports] of graph) {
    const rule = ALLOWED.find((r) => r.files.test(file));
    if (!rule) {
      found.push(`${file}: in no layer`);
      continue;
    }
    for (const target of imports) {
      const inSrc = graph.has(target) || target.startsWith('nn/wasm/build/');
      const ok = inSrc ? rule.src.some((r) => r.test(target)) : rule.packages.some((r) => r.test(target));
      if (!ok) found.push(`${file} → ${target}`);
    }
  }
  return found;
}

/** The cycles of the graph among src/ files, each as a path that comes back to its start. */
function cycles(graph: ImportGraph): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    path.push(file);
    for (const target of graph.get(file) ?? []) {
      if (!graph.has(target)) continue;
      if (state.get(target) === 'open') found.push([...path.slice(path.indexOf(target)), target]);
      else if (!state.has(target)) visit(target);
    }
    path.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return found;
}

describe('the architecture', () => {
  const graph = readGraph();

  it('reads the real source', () => {
    expect(graph.get('nn/network')).toBeDefined();
    expect(graph.get('ui/app/App')).toContain('ui/runs/use-runs');
  });

  it('has no import cycle anywhere in src/ (type-only imports count too)', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('keeps every layer to its allow-list: the page imports only config, settings, format, mnist-shape, comparison, explain (one digit), book, any-model and chapter 6’s layers, ladder, file format and one-digit pass of the engine, Comlink lives in the client, pako in inflate.ts', () => {
    expect(breaches(graph)).toEqual([]);
  });

  it('would fail if a page file imported the engine’s training code, Comlink, or pako, or if network.ts imported the driver', () => {
    const broken: ImportGraph = new Map(graph);
    broken.set('ui/app/App', [...graph.get('ui/app/App')!, 'nn/wasm-trainer']);
    broken.set('ui/inspector/DigitViewer', ['comlink']);
    broken.set('worker/training', [...graph.get('worker/training')!, 'pako']);
    broken.set('nn/network', [...graph.get('nn/network')!, 'nn/sgd']);
    expect(breaches(broken).sort()).toEqual([
      'ui/app/App → nn/wasm-trainer',
      'ui/inspector/DigitViewer → comlink',
      'worker/training → pako',
    ]);
    expect(cycles(broken).some((cycle) => cycle[0] === 'nn/network' && cycle.includes('nn/sgd'))).toBe(true);
  });

  it('has fences in ESLint that hold at any depth: a file four folders deep in src/ui that imports training code fails lint', async () => {
    const eslint = new ESLint({ cwd: join(SRC, '..') });
    const lint = async (path: string, code: string) =>
      (await eslint.lintText(code, { filePath: join(SRC, path) }))[0].messages.filter((m) => m.ruleId === 'no-restricted-imports');
    const deep = await lint(
      'ui/a/b/c/probe.ts',
      "import { trainWasm } from '../../../../nn/wasm-trainer';\nexport const probe = trainWasm;\n",
    );
    expect(deep.map((m) => m.message)).toEqual([expect.stringContaining('training lives in the worker')]);
    const data = await lint(
      'ui/a/b/probe.ts',
      "import { loadMnist } from '../../../data/source-browser';\nexport const probe = loadMnist;\n",
    );
    expect(data.map((m) => m.message)).toEqual([expect.stringContaining('data lives in the worker')]);
    // What the page may import stays allowed at any depth.
    expect(
      await lint('ui/a/b/c/probe.ts', "import { DEFAULT_CONFIG } from '../../../../nn/config';\nexport const probe = DEFAULT_CONFIG;\n"),
    ).toEqual([]);
  }, 60_000);
});
