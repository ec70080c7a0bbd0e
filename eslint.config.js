// Layer rules of GUIDE §1: a violation fails lint (and so CI).
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = [
  'node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'http', 'https',
  'net', 'url', 'stream', 'util', 'events', 'zlib', 'buffer', 'process',
];
const noNode = NODE_BUILTINS.map((name) => ({ group: [name], message: 'this layer must not import Node built-ins (GUIDE §1)' }));
const noElectron = [{ group: ['electron', 'electron/*'], message: 'only electron/ imports Electron (GUIDE §1)' }];
const noUi = [{ group: ['react', 'react-dom', 'react-dom/*', 'three', 'three/*', '@react-three/*', 'golden-layout'], message: 'UI libraries belong to src/renderer (GUIDE §1)' }];
const layer = (name) => ({ group: [`**/${name}`, `**/${name}/**`, `../${name}/**`, `../../${name}/**`], message: `this layer must not import src/${name} (GUIDE §1)` });
const noElectronDir = [{ group: ['**/electron/**', '../../electron/*'], message: 'only electron/ code may import electron/' }];

const restrict = (patterns, globals = []) => ({
  'no-restricted-imports': ['error', { patterns }],
  ...(globals.length ? { 'no-restricted-globals': ['error', ...globals] } : {}),
});
const NODE_GLOBALS = ['process', 'Buffer', '__dirname', '__filename', 'require'].map((name) => ({ name, message: 'no Node globals in this layer (GUIDE §1)' }));
const DOM_GLOBALS = ['window', 'document', 'navigator', 'localStorage'].map((name) => ({ name, message: 'no DOM in this layer (GUIDE §1)' }));

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'bench/data/**', '**/*.d.ts'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['src/core/**'],
    rules: restrict([...noNode, ...noElectron, ...noUi, layer('main'), layer('renderer'), layer('shared'), layer('native-workers'), ...noElectronDir], [...NODE_GLOBALS, ...DOM_GLOBALS]),
  },
  {
    files: ['src/shared/**'],
    rules: restrict([...noNode, ...noElectron, ...noUi, layer('main'), layer('renderer'), layer('native-workers'), ...noElectronDir], [...NODE_GLOBALS, ...DOM_GLOBALS]),
  },
  {
    files: ['src/native-workers/**'],
    rules: restrict([...noElectron, ...noUi, layer('main'), layer('renderer'), ...noElectronDir]),
  },
  {
    files: ['src/main/**'],
    rules: restrict([...noElectron, ...noUi, layer('renderer'), ...noElectronDir]),
  },
  {
    files: ['electron/**'],
    rules: restrict([...noUi, layer('renderer')]),
  },
  {
    files: ['src/renderer/**'],
    rules: restrict([...noNode, ...noElectron, layer('main'), layer('native-workers'), ...noElectronDir], NODE_GLOBALS),
  },
);
