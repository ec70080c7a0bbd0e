import { describe, expect, it } from 'vitest';
import {
  CANCEL_CHANNEL,
  COMMAND_RUN_CHANNEL,
  OPEN_PATH_CHANNEL,
  SET_MENU_CHANNEL,
  eventChannel,
  incomingChannel,
  isCallId,
  isIncomingChannel,
  isOutgoingChannel,
} from '../../../src/shared/ipc/bridge';
import { BACKEND_EVENTS } from '../../../src/shared/ipc/contract';
import { callSchemas, channelName } from '../../../src/shared/ipc/schemas';
import { menuSpecSchema } from '../../../electron/menuSpec';

describe('the preload channel filter', () => {
  it('lets every call of the contract out, and cancel', () => {
    for (const [service, methods] of Object.entries(callSchemas)) {
      for (const method of Object.keys(methods)) expect(isOutgoingChannel(channelName(service, method))).toBe(true);
    }
    expect(isOutgoingChannel(CANCEL_CHANNEL)).toBe(true);
  });

  it('refuses foreign and malformed channels', () => {
    for (const channel of [
      'ELECTRON_BROWSER_WINDOW_CLOSE',
      'electron:foo',
      'other:session.merge',
      'spikedock:',
      'spikedock:session',
      'spikedock:session.merge.extra',
      'spikedock:session.merge ',
      ' spikedock:session.merge',
      'spikedock:../x.y',
      'spikedock:' + 'a'.repeat(200) + '.b',
      42,
      null,
      undefined,
      { toString: () => 'spikedock:session.merge' },
    ]) {
      expect(isOutgoingChannel(channel)).toBe(false);
    }
  });

  it('delivers only backend events and menu commands to the page', () => {
    for (const e of BACKEND_EVENTS) expect(isIncomingChannel(eventChannel(e))).toBe(true);
    expect(isIncomingChannel(COMMAND_RUN_CHANNEL)).toBe(true);
    for (const channel of ['spikedock:session.merge', CANCEL_CHANNEL, SET_MENU_CHANNEL, OPEN_PATH_CHANNEL, 'spikedock:event.', 'spikedock:event.x', 'ipc-message', 7]) {
      expect(isIncomingChannel(channel)).toBe(false);
    }
  });

  it('lets the page subscribe to an event by name or channel, and to nothing else', () => {
    expect(incomingChannel('onDidChangeSession')).toBe('spikedock:event.onDidChangeSession');
    expect(incomingChannel('spikedock:event.onDidSave')).toBe('spikedock:event.onDidSave');
    expect(incomingChannel(COMMAND_RUN_CHANNEL)).toBe(COMMAND_RUN_CHANNEL);
    for (const name of ['ipc-message', 'ELECTRON_BROWSER_WINDOW_CLOSE', 'spikedock:session.merge', CANCEL_CHANNEL, 'on', 'onx', 'on-Did', 42, null]) {
      expect(incomingChannel(name)).toBeNull();
    }
  });

  it('accepts only non-negative safe integers as call ids', () => {
    expect(isCallId(0)).toBe(true);
    expect(isCallId(2 ** 40)).toBe(true);
    for (const x of [-1, 1.5, NaN, Infinity, 2 ** 60, '3', null, undefined, {}]) expect(isCallId(x)).toBe(false);
  });
});

describe('menuSpecSchema', () => {
  it('accepts the renderer command list', () => {
    const r = menuSpecSchema.safeParse([
      { id: 'cluster.merge', title: 'Merge', menu: 'Edit', section: 'clustering', keys: ['g'] },
      { id: 'session.save', title: 'Save', menu: 'File', keys: ['ctrl+s'], enabled: false },
      { id: 'view.toggleRaw', title: 'Raw Data', menu: 'View', checked: false },
    ]);
    expect(r.success).toBe(true);
  });

  it('refuses malformed menus', () => {
    for (const bad of [
      'x',
      [{ id: 'merge', title: 'Merge', menu: 'Edit' }],
      [{ id: 'cluster.merge', title: '', menu: 'Edit' }],
      [{ id: 'cluster.merge', title: 'Merge', menu: 'Tools' }],
      [{ id: 'cluster.merge', title: 'Merge', menu: 'edit' }],
      [{ id: 'cluster.merge', title: 'Merge', menu: 'Edit', click: 'code' }],
      [{ id: 'cluster.merge', title: 'x'.repeat(101), menu: 'Edit' }],
      [{ id: 'cluster.merge', title: 'Merge', menu: 'Edit', checked: 'yes' }],
      Array.from({ length: 501 }, (_, i) => ({ id: `c.c${i}`, title: 't', menu: 'Edit' })),
    ]) {
      expect(menuSpecSchema.safeParse(bad).success).toBe(false);
    }
  });
});
