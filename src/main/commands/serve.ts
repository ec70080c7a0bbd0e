/**
 * `spikedock serve [dataset] [--port N] [--host 127.0.0.1] [--no-open]`: the renderer and the
 * backend over HTTP + WebSocket (browser mode, for remote data through an SSH tunnel).
 */
import { spawn } from 'node:child_process';
import { BackendHost } from '../BackendHost';
import { SpikedockServer } from '../server/SpikedockServer';
import { packageVersion, rendererDir } from '../paths';
import { resolveUserDataDir } from '../app/userDataDir';
import { RecentDatasets } from '../app/RecentDatasets';
import { openFailureText } from '../../shared/ipc/contract';
import { numberOption, parseArgs } from './args';
import { UserError, type CliIo, type Command } from './types';

function openBrowser(url: string): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'cmd' : 'xdg-open';
  const args = process.platform === 'win32' ? ['/c', 'start', '', url] : [url];
  try {
    const child = spawn(cmd, args, { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // no browser opener: the printed URL is enough
  }
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export const command: Command = {
  name: 'serve',
  summary: 'serve the app to a browser (remote curation through an SSH tunnel)',
  usage: [
    'usage: spikedock serve [<folder | params.py | file.kwik | analyzer folder | file.nwb | https://…/file.nwb>] [--port N] [--host 127.0.0.1] [--no-open]',
    '',
    'Serves the spikedock window over HTTP + WebSocket and prints a URL with a random access token;',
    'every request without the token is refused. Binds to 127.0.0.1 unless --host says otherwise.',
    'Remote data: run this on the server, then `ssh -L 8765:127.0.0.1:8765 server` and open the URL.',
  ].join('\n'),
  async run(argv: string[], io: CliIo): Promise<number> {
    const args = parseArgs(argv, { values: ['port', 'host', 'token', 'autosave'], flags: ['open'] });
    const dir = rendererDir();
    if (!dir) throw new UserError('the renderer is not built: run `npm run build` first');
    const host = args.values.get('host') ?? '127.0.0.1';
    const port = numberOption(args, 'port', 8765);
    const userDataDir = resolveUserDataDir();
    const backend = new BackendHost({
      version: packageVersion(),
      userDataDir,
      recent: RecentDatasets.inUserData(userDataDir),
      autosaveSeconds: numberOption(args, 'autosave', 120),
      ...(process.env.SPIKEDOCK_TRACE_CALLS ? { traceCalls: (line: string) => io.stderr(`${new Date().toISOString().slice(11, 23)} ${line}\n`) } : {}),
    });
    const dataset = args.positionals[0];
    // The dataset opens while the server starts and the browser loads the page: the page's first
    // call (`app.current`) waits for it. A dataset that cannot be opened leaves the start screen.
    const server = new SpikedockServer(backend, { host, port, rendererDir: dir, token: args.values.get('token') });
    let url: string;
    try {
      url = await server.listen();
    } catch (e) {
      await backend.dispose();
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'EADDRINUSE') throw new UserError(`port ${port} is in use: choose another with --port N (or --port 0 for any free port)`);
      throw e;
    }
    if (!LOOPBACK.has(host)) io.stdout(`warning: listening on ${host}: anyone who can reach this port and has the token can curate\n`);
    io.stdout(`open: ${url}\n`);
    if (args.flags.get('open') !== false) openBrowser(url);
    const opening = dataset ? backend.openDataset(dataset) : null;
    opening?.catch(() => undefined);
    try {
      const summary = opening ? await opening : null;
      io.stdout(`spikedock serve: ${summary ? `${summary.name} (${summary.nClusters} clusters, ${summary.nSpikes} spikes)` : 'no dataset (start screen)'}\n`);
    } catch (e) {
      const failure = backend.openFailure ?? { path: dataset!, message: e instanceof Error ? e.message : String(e) };
      io.stderr(`spikedock serve: ${openFailureText(failure)} — serving the start screen, which says so too\n`);
    }
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await server.close();
    await backend.dispose();
    return 0;
  },
};
