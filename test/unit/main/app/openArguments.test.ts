/**
 * From a command line to a dataset location: `datasetArguments` finds the paths,
 * `resolveDatasetPath` decides what they are — on real phy-data copied under names with spaces
 * and unicode, the way a curator's folders are named.
 */
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { datasetArguments } from '../../../../src/main/app/argv';
import { resolveDatasetPath } from '../../../../src/main/openDataset';
import { hasPhyData, phyDataDir, phyDataSkipReason } from '../../../helpers/phyData';

describe.skipIf(!hasPhyData)(`opening from a command line (${hasPhyData ? 'phy-data' : phyDataSkipReason})`, () => {
  let root: string;
  let templateDir: string;
  let kwikFile: string;

  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'spikedock-open-'));
    templateDir = path.join(root, 'Maus 1 — été', 'kilosort output');
    cpSync(path.join(phyDataDir, 'template'), templateDir, { recursive: true });
    kwikFile = path.join(root, 'données kwik', 'hybrid 10sec.kwik');
    mkdirSync(path.dirname(kwikFile), { recursive: true });
    cpSync(path.join(phyDataDir, 'kwik', 'hybrid_10sec.kwik'), kwikFile);
    cpSync(path.join(phyDataDir, 'kwik', 'hybrid_10sec.kwx'), path.join(path.dirname(kwikFile), 'hybrid 10sec.kwx'));
    mkdirSync(path.join(root, 'just notes'));
    writeFileSync(path.join(root, 'just notes', 'readme.txt'), 'not a sorting');
  });

  const open = (args: string[]) => datasetArguments(['spikedock', ...args], { cwd: root }).map((p) => resolveDatasetPath(p));

  it('opens a folder by a relative path with spaces and unicode', () => {
    expect(open(['Maus 1 — été/kilosort output'])).toEqual([{ kind: 'template', path: templateDir, dir: templateDir }]);
  });

  it('opens the folder of a params.py', () => {
    expect(open([path.join(templateDir, 'params.py')])).toEqual([{ kind: 'template', path: templateDir, dir: templateDir }]);
  });

  it('opens a .kwik file, and a folder holding one', () => {
    const dir = path.dirname(kwikFile);
    expect(open([kwikFile])).toEqual([{ kind: 'kwik', path: kwikFile, dir }]);
    expect(open(['données kwik'])).toEqual([{ kind: 'kwik', path: kwikFile, dir }]);
  });

  it('opens what the OS hands over as a file:// URL', () => {
    const url = new URL(`file://${templateDir}/params.py`).href;
    expect(url).toContain('%20');
    expect(open([url])[0].path).toBe(templateDir);
  });

  it('says what was expected for a folder that is not a sorting output', () => {
    expect(() => open(['just notes'])).toThrow(/not a sorting output.*expected a Kilosort\/phy folder with params\.py, a params\.py file, a \.kwik file, a SpikeInterface SortingAnalyzer folder or \.zarr store, or an \.nwb file/);
    expect(() => open([path.join(root, 'just notes', 'readme.txt')])).toThrow(/not a sorting output/);
  });

  it('says so when the path does not exist', () => {
    expect(() => open(['no such folder'])).toThrow(/no such file or folder/);
  });
});
