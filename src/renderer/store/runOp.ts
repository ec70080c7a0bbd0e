/**
 * Runs one session op: marks the session busy, sends it, then awaits the one commit of the
 * change (the cluster table and the selection the UpdateInfo asks for, phy's rules) made by
 * SessionSync, the renderer's one write path for session changes. Errors propagate.
 */
import type { UpdateInfo } from '../../shared/ipc/contract';
import type { AppStore } from './appStore';
import type { SessionSync } from './sessionSync';

export async function runOp(ctx: { store: AppStore; sync: SessionSync }, op: () => Promise<UpdateInfo | null>): Promise<UpdateInfo | null> {
  ctx.store.update((d) => {
    d.session.busy = true;
  }, { capture: 'none' });
  ctx.sync.beginOp();
  let info: UpdateInfo | null = null;
  try {
    info = await op();
    return info;
  } finally {
    await ctx.sync.endOp(info);
    ctx.store.update((d) => {
      d.session.busy = false;
    }, { capture: 'none' });
  }
}
