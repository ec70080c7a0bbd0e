// Layer rules of GUIDE §1 and the import direction inside each layer: a violation fails lint
// (and so CI). The rules live in scripts/eslint/spikedockImports.mjs; the tables are here.
import tseslint from 'typescript-eslint';
import { fileURLToPath } from 'node:url';
import spikedock from './scripts/eslint/spikedockImports.mjs';

const root = fileURLToPath(new URL('.', import.meta.url));

/** Package groups a layer may be denied (bare specifiers). */
const PACKAGES = {
  node: ['node:*', 'fs', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'http', 'https', 'net', 'url', 'stream', 'util', 'events', 'zlib', 'buffer', 'process'],
  electron: ['electron'],
  ui: ['react', 'react-dom', 'three', '@react-three/*', 'golden-layout'],
};

/**
 * GUIDE §1: each layer, what it may import, and (`order`) its folders low → high — a file may
 * import its own folder and lower ones. Entries are top-level folders or root files (without
 * extension); '.' stands for the layer's other root files.
 */
const LAYERS = [
  { name: 'core', dir: 'src/core', mayImport: [], denyPackages: ['node', 'electron', 'ui'], order: ['.', 'formats', 'dataset', 'compute', 'session', 'metrics', 'cleanup', 'suggest', 'rules', 'generate'] },
  { name: 'shared', dir: 'src/shared', mayImport: ['core'], denyPackages: ['node', 'electron', 'ui'], order: ['.', 'ipc', 'tasks'] },
  { name: 'native-workers', dir: 'src/native-workers', mayImport: ['core', 'shared'], denyPackages: ['electron', 'ui'], order: ['WorkerFileSource', 'WorkerHdf5', 'WorkerDataset', 'handlers', 'worker'] },
  {
    name: 'main',
    dir: 'src/main',
    mayImport: ['core', 'shared'],
    denyPackages: ['electron', 'ui'],
    order: ['UserError', 'CallError', 'io', 'paths', 'memoryBudget', 'nwb', 'generate', 'app', 'openDataset', 'session', 'compute', 'assistant', 'cleanup', 'export', 'BackendHost', 'server', 'commands', 'bench', 'cli'],
  },
  { name: 'electron', dir: 'electron', mayImport: ['main', 'shared', 'core'], denyPackages: ['ui'] },
  {
    name: 'renderer',
    dir: 'src/renderer',
    mayImport: ['core', 'shared'],
    denyPackages: ['node', 'electron'],
    order: ['theme', 'backend', 'store', 'plot', 'commands', 'views', 'app', 'main'],
  },
];

/**
 * Imports allowed to break the folder order, each with its reason: `{ file, imports, why }`
 * (repo-relative paths). Empty: nothing in the tree needs one. Add one only with a reason that
 * a reviewer would accept.
 */
const EXCEPTIONS = [];

const NODE_GLOBALS = ['process', 'Buffer', '__dirname', '__filename', 'require'].map((name) => ({ name, message: 'no Node globals in this layer (GUIDE §1)' }));
const DOM_GLOBALS = ['window', 'document', 'navigator', 'localStorage'].map((name) => ({ name, message: 'no DOM in this layer (GUIDE §1)' }));
const globals = (list) => ({ 'no-restricted-globals': ['error', ...list] });

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'bench/data/**', '**/*.d.ts'] },
  ...tseslint.configs.recommended,
  {
    plugins: { spikedock },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['src/**', 'electron/**'],
    rules: {
      'spikedock/layers': ['error', { root, layers: LAYERS, packages: PACKAGES }],
      'spikedock/direction': ['error', { root, layers: LAYERS, viewsDir: 'src/renderer/views', exceptions: EXCEPTIONS }],
      'spikedock/no-cycle': ['error', { root, dirs: ['src', 'electron'], exceptions: EXCEPTIONS }],
      // GUIDE: small modules; a longer one says why in an eslint-disable comment at its top.
      'max-lines': ['warn', { max: 400, skipBlankLines: true, skipComments: true }],
    },
  },
  { files: ['src/core/**', 'src/shared/**'], rules: globals([...NODE_GLOBALS, ...DOM_GLOBALS]) },
  { files: ['src/renderer/**'], rules: globals(NODE_GLOBALS) },
);
