/** Runs the `spikedock` CLI in-process with captured output (integration tests). */
import { main } from '../../src/main/cli';
import type { CliIo } from '../../src/main/commands/types';

/** `spikedock <argv…>`: its exit code and everything it wrote (an error thrown out of `main` as its message and exit code, as bin/spikedock.mjs reports it). */
export async function runCli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), readStdin: async () => '' };
  const code = await main(argv, io).catch((e: Error & { exitCode?: number }) => {
    stderr += e.message;
    return e.exitCode ?? 1;
  });
  return { code, stdout, stderr };
}
