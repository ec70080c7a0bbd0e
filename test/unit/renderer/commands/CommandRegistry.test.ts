import { describe, expect, it } from 'vitest';
import type { Command, CommandContext } from '../../../../src/renderer/store/Command';
import { CommandRegistry } from '../../../../src/renderer/commands/CommandRegistry';
import { VIEW_CATALOG } from '../../../../src/renderer/views/catalog';
import { defaultCommands } from '../../../../src/renderer/commands/defaultCommands';
import { parseKeymap, saveKeymap, loadKeymap, type KeyValueStorage } from '../../../../src/renderer/commands/keymapStorage';
import { createAppStore } from '../../../../src/renderer/store/appStore';

function memoryStorage(): KeyValueStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
}

const noop = (id: string, extra: Partial<Command> = {}): Command => ({ id, title: id, perform: () => undefined, ...extra });

describe('CommandRegistry', () => {
  it("binds every phy default shortcut of §2 (including reset wizard on ctrl+alt+space)", () => {
    const r = new CommandRegistry();
    r.registerAll(defaultCommands(VIEW_CATALOG));
    const bound = (keys: string) => r.byKeys(keys, null).map((c) => c.id);
    const expected: Record<string, string> = {
      g: 'cluster.merge', k: 'cluster.split', l: 'cluster.label', 'ctrl+z': 'edit.undo', 'ctrl+shift+z': 'edit.redo', 'ctrl+y': 'edit.redo', 'ctrl+s': 'file.save',
      space: 'wizard.next', 'shift+space': 'wizard.previous', down: 'wizard.nextBest', up: 'wizard.previousBest', home: 'wizard.first', end: 'wizard.last',
      'ctrl+space': 'wizard.selectFirstSimilar', backspace: 'wizard.unselectSimilar', 'ctrl+alt+space': 'wizard.reset', esc: 'filter.clear',
      h: 'help.shortcuts', f1: 'help.shortcuts', ':': 'help.snippet', 'ctrl+shift+p': 'help.palette', 'alt+r': 'view.rawFilter', 'alt+t': 'trace.goTo',
      'alt+g': 'cluster.moveBestToGood', 'alt+m': 'cluster.moveBestToMua', 'alt+n': 'cluster.moveBestToNoise', 'alt+u': 'cluster.moveBestToUnsorted',
      'ctrl+g': 'cluster.moveSimilarToGood', 'ctrl+m': 'cluster.moveSimilarToMua', 'ctrl+n': 'cluster.moveSimilarToNoise', 'ctrl+u': 'cluster.moveSimilarToUnsorted',
      'ctrl+alt+g': 'cluster.moveAllToGood', 'ctrl+alt+m': 'cluster.moveAllToMua', 'ctrl+alt+n': 'cluster.moveAllToNoise', 'ctrl+alt+u': 'cluster.moveAllToUnsorted',
    };
    for (const [keys, id] of Object.entries(expected)) expect(bound(keys)[0], keys).toBe(id);
  });

  it("maps phy's snippet names to commands", () => {
    const r = new CommandRegistry();
    r.registerAll(defaultCommands(VIEW_CATALOG));
    for (const [name, id] of Object.entries({ c: 'select.clusters', f: 'filter.set', s: 'sort.by', g: 'cluster.merge', k: 'cluster.split', l: 'cluster.label', move: 'cluster.move', cb: 'correlogram.binSize', cw: 'correlogram.windowSize', cr: 'correlogram.refractoryPeriod', tg: 'trace.goTo', undo: 'edit.undo' })) {
      expect(r.bySnippet(name)?.id, name).toBe(id);
    }
  });

  it("given a focused view, its commands win for a key; focus-only commands act only then", () => {
    const r = new CommandRegistry();
    r.register(noop('wizard.nextBest', { keys: ['down'] }));
    r.register(noop('plot.panDown', { keys: ['down'], view: 'WaveformView', focusOnly: true }));
    r.register(noop('waveform.toggleMean', { keys: ['m'], view: 'WaveformView' }));
    expect(r.byKeys('down', null).map((c) => c.id)).toEqual(['wizard.nextBest']);
    expect(r.byKeys('down', 'WaveformView')[0].id).toBe('plot.panDown');
    expect(r.byKeys('m', null)[0].id).toBe('waveform.toggleMean');
  });

  it('remaps keys, persists them versioned, and restores defaults', () => {
    const r = new CommandRegistry();
    r.registerAll(defaultCommands(VIEW_CATALOG));
    r.setKeys('cluster.merge', ['Ctrl+Shift+M']);
    expect(r.keysOf('cluster.merge')).toEqual(['ctrl+shift+m']);
    expect(r.byKeys('g', null)).toHaveLength(0);
    const storage = memoryStorage();
    saveKeymap(storage, r.keymap());
    expect(JSON.parse(storage.data.get('spikedock.keymap')!)).toEqual({ version: 1, keys: { 'cluster.merge': ['ctrl+shift+m'] } });
    const r2 = new CommandRegistry();
    r2.registerAll(defaultCommands(VIEW_CATALOG));
    r2.setKeymap(loadKeymap(storage));
    expect(r2.byKeys('ctrl+shift+m', null)[0].id).toBe('cluster.merge');
    r2.setKeys('cluster.merge', null);
    expect(r2.keysOf('cluster.merge')).toEqual(['g']);
    expect(parseKeymap('{"version":99,"keys":{"a":["g"]}}')).toEqual({});
    expect(parseKeymap('not json')).toEqual({});
  });

  it('turns a failing command into a toast and respects predicates', async () => {
    const r = new CommandRegistry();
    const toasts: string[] = [];
    const store = createAppStore();
    const ctx = { store, toast: (_l: string, t: string) => toasts.push(t) } as unknown as CommandContext;
    r.register(noop('boom', { perform: () => { throw new Error('disk full'); } }));
    r.register(noop('never', { predicate: () => false, perform: () => { throw new Error('ran'); } }));
    expect(await r.run('boom', ctx)).toBe(false);
    expect(toasts).toEqual(['boom: disk full']);
    expect(await r.run('never', ctx)).toBe(false);
    expect(toasts).toHaveLength(1);
  });
});
