/**
 * Entry of the benchmark bundle (dist/main/bench.mjs) used by bench/run.mjs. Each area exports
 * its runner; `node dist/main/bench.mjs open <dir> [stateDir]` measures one open in this process
 * and prints JSON (bench/run.mjs runs it in fresh child processes).
 */
import { measureOpen } from './openBench';

export { measureOpen };
export { generateDataset } from '../generate/generateDataset';
export { runSessionBench } from '../session/bench';
export { runComputeBench } from '../compute/bench';
export { runQualityBench } from './qualityBench';
export { measureRulesQuality } from './rulesQuality';
export { runCleanupBench } from './cleanupBench';
export { startRangeServer } from './rangeServer';
export { runRemoteBench } from './remoteBench';
export { largestClusters } from './largestClusters';

const [, , mode, dir, stateDir] = process.argv;
if (mode === 'open' && dir) {
  measureOpen(dir, stateDir).then(
    (f) => {
      process.stdout.write(JSON.stringify(f) + '\n');
      process.exit(0);
    },
    (e) => {
      process.stderr.write(`open bench failed: ${(e as Error).message}\n`);
      process.exit(1);
    },
  );
}
