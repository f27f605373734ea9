import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/** Which layer may import what (DESIGN.md): the rules that keep the engine pure and the page thin. */
const layerRules = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'public', 'test-results', 'playwright-report', 'src/nn/wasm/build', 'src/nn/wasm/*.as.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}', 'src/main.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    files: ['src/nn/**/*.ts'],
    ignores: ['src/nn/**/*.test.ts'],
    rules: layerRules([
      {
        group: ['react', 'react-dom', 'comlink', 'pako', 'node:*', '**/data/*', '**/worker/*', '**/ui/*'],
        message: 'src/nn is the pure engine: it imports only src/nn.',
      },
    ]),
  },
  {
    files: ['src/data/**/*.ts'],
    ignores: ['src/data/**/*.test.ts', 'src/data/source-node.ts', 'src/data/inflate.ts'],
    rules: layerRules([
      {
        group: ['react', 'react-dom', 'comlink', 'node:*', '**/worker/*', '**/ui/*'],
        message: 'src/data parses bytes; only source-node.ts may use Node.',
      },
      { group: ['pako'], message: 'pako lives in inflate.ts alone.' },
    ]),
  },
  {
    files: ['src/worker/**/*.ts'],
    ignores: ['src/worker/**/*.test.ts', 'src/worker/*.worker.ts'],
    rules: layerRules([
      {
        group: ['react', 'react-dom', '**/ui/*', 'pako'],
        message: 'the worker knows nothing of the page, and pako lives in src/data/inflate.ts.',
      },
      { group: ['comlink'], message: 'Comlink lives in the worker entries (*.worker.ts) and src/ui/platform/worker-client.ts.' },
    ]),
  },
  ...['src/ui/**/*.{ts,tsx}', 'src/ui/platform/worker-client.ts'].map((files, i) => ({
    files: [files],
    ignores: i === 0 ? ['src/ui/**/*.test.ts', 'src/ui/platform/worker-client.ts'] : [],
    // Patterns that start with `**/` hold at any depth: a file moved deeper keeps its fences.
    rules: layerRules([
      { group: ['**/data/*', 'pako'], message: 'data lives in the worker; the page never parses MNIST.' },
      {
        // An allow-list: of the engine, the page may import only its pure helpers.
        group: [
          '**/nn/*',
          '!**/nn/config',
          '!**/nn/settings',
          '!**/nn/format',
          '!**/nn/mnist-shape',
          '!**/nn/comparison',
          '!**/nn/explain',
          '!**/nn/book',
          '!**/nn/any-model',
          '!**/nn/network3',
          '**/nn/network3/*',
          '!**/nn/network3/layers',
          '!**/nn/network3/ladder',
          '!**/nn/network3/model-io3',
          '!**/nn/network3/network3',
        ],
        message:
          'training lives in the worker; the page imports only src/nn/config, settings, format, mnist-shape, comparison, explain (one digit), book, any-model, and network3/layers, ladder, model-io3 and network3 (one digit).',
      },
      {
        group: ['**/worker/*'],
        allowTypeImports: true,
        message: 'the page reaches the worker only through worker-client.ts and `import type`.',
      },
      ...(i === 0
        ? [{ group: ['comlink'], message: 'Comlink lives in worker-client.ts: import its callback, handOver and Remote from there.' }]
        : []),
    ]),
  })),
);
