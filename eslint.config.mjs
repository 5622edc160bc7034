// @ts-check
// Lint rules: typescript-eslint's strict set, plus the layer boundary: the CMP core and the
// Kubernetes layer never import vscode, the core never imports the Kubernetes client, and webview
// code sees only the shared protocol and pure core.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const noVscode = { name: 'vscode', message: 'This layer stays free of VS Code: put editor code in src/vscode.' };
// Loading the client library costs ~25 ms that activation need not pay: run-time uses go through
// src/kube/clientLibrary.ts, which loads it on first use; type imports are free.
const lazyClientLibrary = { name: '@kubernetes/client-node', allowTypeImports: true, message: 'Use clientLibrary() from src/kube/clientLibrary.ts (loaded on first use); import type is fine.' };

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.cmp-dev/**', 'test-results/**', '.vscode-test/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly', TextDecoder: 'readonly', TextEncoder: 'readonly', queueMicrotask: 'readonly', structuredClone: 'readonly', performance: 'readonly', fetch: 'readonly' } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
    },
  },
  {
    files: ['**/*.mjs'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', 'no-restricted-syntax': 'off' },
  },
  {
    // CommonJS by necessity (mocha loads reporters with require).
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src/core/**/*.ts', 'src/protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noVscode, { name: '@kubernetes/client-node', message: 'The core is pure: no Kubernetes client here.' }], patterns: [{ group: ['**/kube/**', '**/vscode/**'], message: 'The core depends on nothing above it.' }] }],
    },
  },
  {
    files: ['src/kube/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noVscode, lazyClientLibrary], patterns: [{ group: ['**/vscode/**'], message: 'The Kubernetes layer does not know the editor.' }] }] },
  },
  {
    files: ['src/kube/clientLibraryParts.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noVscode], patterns: [{ group: ['**/vscode/**'], message: 'The Kubernetes layer does not know the editor.' }] }] },
  },
  {
    files: ['src/*.ts', 'src/vscode/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [lazyClientLibrary] }] },
  },
  {
    files: ['webview-ui/**/*.ts'],
    languageOptions: { globals: { window: 'readonly', document: 'readonly', HTMLElement: 'readonly', customElements: 'readonly' } },
    rules: { 'no-restricted-imports': ['error', { paths: [noVscode, { name: '@kubernetes/client-node', message: 'Webviews talk to the host only.' }], patterns: [{ group: ['**/src/vscode/**', '**/src/kube/**'], message: 'Webviews import only the shared protocol and pure core.' }] }] },
  },
);
