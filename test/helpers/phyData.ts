/**
 * phy's published test data (`../shared/datasets/phy-data`), read in place and copied to a temp
 * folder before anything may write. Absent in a user's clone: tests then skip with this reason.
 */
import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Where phy-data lives: `SPIKEDOCK_PHY_DATA` when set (a git worktree is not beside the shared
 * folder), else the shared folder beside the repository.
 */
export const phyDataDir = process.env.SPIKEDOCK_PHY_DATA ? resolve(process.env.SPIKEDOCK_PHY_DATA) : resolve(repoRoot, '..', 'shared', 'datasets', 'phy-data');

/** True when phy-data is present. */
export const hasPhyData = existsSync(join(phyDataDir, 'template', 'params.py'));

/** Reason printed by tests skipped for lack of phy-data. */
export const phyDataSkipReason = `phy-data not found at ${phyDataDir} (it ships in ../shared, absent from a user's clone)`;

/** Copies a phy-data subfolder (`template`, `kwik`, `test`) to a new temp folder; returns the copy's path. */
export function copyPhyData(sub: 'template' | 'kwik' | 'test'): string {
  const dest = join(mkdtempSync(join(tmpdir(), `spikedock-phy-${sub}-`)), sub);
  cpSync(join(phyDataDir, sub), dest, { recursive: true });
  return dest;
}
