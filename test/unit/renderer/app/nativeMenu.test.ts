import { describe, expect, it } from 'vitest';
import { CommandRegistry } from '../../../../src/renderer/commands/CommandRegistry';
import { VIEW_CATALOG } from '../../../../src/renderer/views/catalog';
import { defaultCommands } from '../../../../src/renderer/commands/defaultCommands';
import { menuCommandSpecs } from '../../../../src/renderer/app/nativeMenu';
import { initialAppState } from '../../../../src/renderer/store/AppState';
import { TRACE_COMMANDS } from '../../../../src/renderer/views/TraceView/traceCommands';
import { menuSpecSchema } from '../../../../electron/menuSpec';

function registry(): CommandRegistry {
  const r = new CommandRegistry();
  r.registerAll(defaultCommands(VIEW_CATALOG));
  r.registerAll(TRACE_COMMANDS);
  r.register({ id: 'test.hidden', title: 'Hidden', menu: 'View', hidden: true, perform: () => undefined });
  r.register({ id: 'test.toggle', title: 'Toggle', menu: 'View', section: 'Tests', keys: ['alt+q'], checked: (s) => s.rawFilter, predicate: (s) => s.dataset === null, perform: () => undefined });
  return r;
}

describe('native menu specs (window.spikedock.setMenu)', () => {
  it('lists every menu command that is not hidden, with id, title, menu, keys, enabled', () => {
    const r = registry();
    const specs = menuCommandSpecs(r, initialAppState());
    const expected = r.list().filter((c) => c.menu && !c.hidden).map((c) => c.id);
    expect(specs.map((s) => s.id)).toEqual(expected);
    expect(specs.some((s) => s.id === 'test.hidden')).toBe(false);
    const merge = specs.find((s) => s.id === 'cluster.merge')!;
    expect(merge).toMatchObject({ title: r.get('cluster.merge')!.title, menu: r.get('cluster.merge')!.menu, keys: ['g'] });
    expect(typeof merge.enabled).toBe('boolean');
  });

  it('evaluates predicates and toggles on the state, and shows user remaps', () => {
    const r = registry();
    const state = initialAppState();
    expect(menuCommandSpecs(r, state).find((s) => s.id === 'test.toggle')).toEqual({ id: 'test.toggle', title: 'Toggle', menu: 'View', section: 'Tests', keys: ['alt+q'], enabled: true, checked: true });
    r.setKeys('test.toggle', ['ctrl+q']);
    const other = { ...state, rawFilter: false, dataset: {} as typeof state.dataset };
    expect(menuCommandSpecs(r, other).find((s) => s.id === 'test.toggle')).toMatchObject({ keys: ['ctrl+q'], enabled: false, checked: false });
  });

  it('produces a menu that main accepts (electron/menuSpec.ts schema)', () => {
    const specs = menuCommandSpecs(registry(), initialAppState());
    expect(specs.length).toBeGreaterThan(20);
    expect(menuSpecSchema.safeParse(specs).success).toBe(true);
  });
});
