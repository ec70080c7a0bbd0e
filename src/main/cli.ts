/**
 * `spikedock` command line. Each command lives in `src/main/commands/<name>.ts`; this file only
 * dispatches and turns errors into one clear line (never a stack trace; `SPIKEDOCK_DEBUG=1`
 * prints it).
 */
import { readFileSync } from 'node:fs';
import type { CliIo, Command } from './commands/types';
import { UserError } from './commands/types';
import { FormatError } from '../core/diagnostics';
import { commands } from './commands/registry';

function versionString(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    return pkg.version;
  } catch {
    return 'unknown';
  }
}

function help(list: Command[]): string {
  const w = Math.max(...list.map((c) => c.name.length));
  return [
    'spikedock — manual curation of spike-sorting results (Kilosort/phy folders, Kwik files)',
    '',
    'usage: spikedock <command> [options]      (spikedock <command> --help for details)',
    '',
    ...list.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`),
    '',
  ].join('\n');
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(help(commands));
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-V') {
    io.stdout(`spikedock ${versionString()}\n`);
    return 0;
  }
  const cmd = commands.find((c) => c.name === name);
  if (!cmd) {
    io.stderr(`spikedock: unknown command '${name}' (see spikedock --help)\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(cmd.usage.endsWith('\n') ? cmd.usage : cmd.usage + '\n');
    return 0;
  }
  try {
    return await cmd.run(rest, io);
  } catch (e) {
    if (process.env.SPIKEDOCK_DEBUG) io.stderr(String((e as Error)?.stack ?? e) + '\n');
    if (e instanceof UserError) {
      io.stderr(`spikedock ${name}: ${e.message}\n`);
      return e.exitCode;
    }
    if (e instanceof FormatError) {
      io.stderr(`spikedock ${name}: ${e.message}\n`);
      return 1;
    }
    const err = e as NodeJS.ErrnoException;
    if (err && typeof err.code === 'string' && err.path) {
      io.stderr(`spikedock ${name}: ${err.path}: ${err.code === 'ENOENT' ? 'no such file or folder' : err.code === 'EACCES' ? 'permission denied' : err.message}\n`);
      return 1;
    }
    io.stderr(`spikedock ${name}: ${(e as Error)?.message ?? String(e)}\n`);
    return 1;
  }
}

const isEntry = process.argv[1] && /cli\.(m?js|ts)$/.test(process.argv[1]);
if (isEntry || process.env.SPIKEDOCK_CLI === '1') {
  const io: CliIo = {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`spikedock: ${(e as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
