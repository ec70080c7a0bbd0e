/**
 * The lint rules that guard GUIDE §1 (scripts/eslint/spikedockImports.mjs), on a small tree
 * written to a temp folder: a layer importing a layer it may not (static and dynamic), an upward
 * import inside a layer, a view importing another view, an unplaced folder, an import cycle.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
// @ts-expect-error: a plain ESM module without types (eslint's plugin object)
import spikedock from '../../../scripts/eslint/spikedockImports.mjs';

let root: string;

const FILES: Record<string, string> = {
  'src/core/formats/npy.ts': "export const npy = 1;\n",
  'src/core/formats/upward.ts': "import { ds } from '../dataset/ds';\nexport const up = ds;\n",
  'src/core/dataset/ds.ts': "import { npy } from '../formats/npy';\nexport const ds = npy;\n",
  'src/core/dataset/dynamic.ts': "export const load = () => import('../../main/thing');\n",
  'src/core/dataset/types.ts': "import type { ds } from './ds';\nexport type T = typeof ds;\n",
  'src/core/stray/x.ts': 'export const x = 1;\n',
  'src/core/session/a.ts': "import { b } from './b';\nexport const a = () => b;\n",
  'src/core/session/b.ts': "import { a } from './a';\nexport const b = () => a;\n",
  'src/main/thing.ts': "import * as fs from 'node:fs';\nexport const thing = fs;\n",
  'src/renderer/views/AView/AView.ts': "import { b } from '../BView/BView';\nimport { helper } from '../helper';\nexport const a = b + helper;\n",
  'src/renderer/views/BView/BView.ts': 'export const b = 1;\n',
  'src/renderer/views/helper.ts': 'export const helper = 2;\n',
  'src/renderer/store/fs.ts': "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n",
};

async function lint(file: string): Promise<string[]> {
  const layers = [
    { name: 'core', dir: 'src/core', mayImport: [], denyPackages: ['node'], order: ['.', 'formats', 'dataset', 'session'] },
    { name: 'main', dir: 'src/main', mayImport: ['core'], denyPackages: [] },
    { name: 'renderer', dir: 'src/renderer', mayImport: ['core'], denyPackages: ['node'], order: ['store', 'views'] },
  ];
  const eslint = new ESLint({
    cwd: root,
    overrideConfigFile: true,
    overrideConfig: [
      { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } },
      {
        files: ['**/*.ts'],
        plugins: { spikedock },
        rules: {
          'spikedock/layers': ['error', { root, layers, packages: { node: ['node:*'] } }],
          'spikedock/direction': ['error', { root, layers, viewsDir: 'src/renderer/views' }],
          'spikedock/no-cycle': ['error', { root, dirs: ['src'] }],
        },
      },
    ],
  });
  const [result] = await eslint.lintFiles([join(root, file)]);
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'spikedock-lint-'));
  for (const [f, text] of Object.entries(FILES)) {
    mkdirSync(dirname(join(root, f)), { recursive: true });
    writeFileSync(join(root, f), text);
  }
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('spikedock import rules', () => {
  it('allows imports of the same or a lower folder, and type-only imports', async () => {
    expect(await lint('src/core/dataset/ds.ts')).toEqual([]);
    expect(await lint('src/core/dataset/types.ts')).toEqual([]);
  });

  it('refuses an upward import inside a layer', async () => {
    const m = await lint('src/core/formats/upward.ts');
    expect(m).toHaveLength(1);
    expect(m[0]).toMatch(/spikedock\/direction: src\/core\/formats must not import src\/core\/dataset/);
  });

  it('applies the layer rules to dynamic import() too', async () => {
    const m = await lint('src/core/dataset/dynamic.ts');
    expect(m).toEqual(['spikedock/layers: src/core must not dynamic import() src/main (GUIDE §1)']);
  });

  it('refuses denied packages (Node built-ins in the renderer)', async () => {
    expect(await lint('src/renderer/store/fs.ts')).toEqual(['spikedock/layers: src/renderer must not import node:fs (node) (GUIDE §1)']);
  });

  it('refuses a view importing another view, not a shared helper', async () => {
    const m = await lint('src/renderer/views/AView/AView.ts');
    expect(m).toHaveLength(1);
    expect(m[0]).toMatch(/a view never imports another view \(src\/renderer\/views\/BView\)/);
  });

  it('names a folder that has no place in the order', async () => {
    expect((await lint('src/core/stray/x.ts'))[0]).toMatch(/src\/core\/stray has no place in src\/core's folder order/);
  });

  it('finds an import cycle', async () => {
    const m = await lint('src/core/session/a.ts');
    expect(m).toEqual(['spikedock/no-cycle: import cycle: src/core/session/b.ts → src/core/session/a.ts']);
  });
});
