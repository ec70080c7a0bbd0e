import { describe, expect, it } from 'vitest';
import { eventToKeys, formatKeys, normalizeKeys } from '../../../../src/renderer/commands/keys';

const ev = (key: string, code: string, mods: Partial<Record<'ctrlKey' | 'altKey' | 'shiftKey' | 'metaKey', boolean>> = {}) => ({ key, code, ctrlKey: false, altKey: false, shiftKey: false, metaKey: false, ...mods });

describe('key combinations', () => {
  it('normalizes user-written combinations', () => {
    expect(normalizeKeys('Ctrl+Shift+Z')).toBe('ctrl+shift+z');
    expect(normalizeKeys('shift+ctrl+k')).toBe('ctrl+shift+k');
    expect(normalizeKeys('alt+alt+g')).toBe('alt+g');
    expect(normalizeKeys('ctrl++')).toBe('ctrl++');
    expect(normalizeKeys('ctrl+=')).toBe('ctrl++');
    expect(normalizeKeys('shift+?')).toBe('?');
    expect(normalizeKeys('ctrl+alt+space')).toBe('ctrl+alt+space');
    expect(normalizeKeys('hyper+x')).toBeNull();
    expect(normalizeKeys('ctrl')).toBeNull();
  });

  it('maps keydown events, using the physical key for letters', () => {
    expect(eventToKeys(ev('g', 'KeyG'))).toBe('g');
    expect(eventToKeys(ev('©', 'KeyG', { altKey: true }))).toBe('alt+g');
    expect(eventToKeys(ev('Z', 'KeyZ', { ctrlKey: true, shiftKey: true }))).toBe('ctrl+shift+z');
    expect(eventToKeys(ev(' ', 'Space', { shiftKey: true }))).toBe('shift+space');
    expect(eventToKeys(ev(' ', 'Space', { ctrlKey: true, altKey: true }))).toBe('ctrl+alt+space');
    expect(eventToKeys(ev(':', 'Semicolon', { shiftKey: true }))).toBe(':');
    expect(eventToKeys(ev('ArrowDown', 'ArrowDown'))).toBe('down');
    expect(eventToKeys(ev('F1', 'F1'))).toBe('f1');
    expect(eventToKeys(ev('=', 'Equal', { ctrlKey: true }))).toBe('ctrl++');
    expect(eventToKeys(ev('Shift', 'ShiftLeft', { shiftKey: true }))).toBeNull();
  });

  it('lets ⌘ act as ctrl on macOS', () => {
    expect(eventToKeys(ev('s', 'KeyS', { metaKey: true }), true)).toBe('ctrl+s');
    expect(eventToKeys(ev('s', 'KeyS', { metaKey: true }), false)).toBe('meta+s');
  });

  it('formats for menus', () => {
    expect(formatKeys('ctrl+shift+z')).toBe('Ctrl+Shift+Z');
    expect(formatKeys('ctrl++')).toBe('Ctrl++');
    expect(formatKeys('alt+pgdown')).toBe('Alt+PgDn');
  });
});
