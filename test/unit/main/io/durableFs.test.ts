import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyFileAtomicSync, editFileAtomicSync } from '../../../../src/main/io/durableFs';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spikedock-durable-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('editFileAtomicSync', () => {
  it('replaces the file with the edited copy and leaves no temp file', () => {
    const f = path.join(dir, 'a.kwik');
    fs.writeFileSync(f, 'old content');
    let seen = '';
    editFileAtomicSync(f, (tmp) => {
      expect(path.dirname(tmp)).toBe(dir);
      seen = fs.readFileSync(tmp, 'utf8');
      fs.writeFileSync(tmp, 'new content');
    });
    expect(seen).toBe('old content');
    expect(fs.readFileSync(f, 'utf8')).toBe('new content');
    expect(fs.readdirSync(dir)).toEqual(['a.kwik']);
  });

  it('leaves the file unchanged and removes the copy when the edit throws', () => {
    const f = path.join(dir, 'a.kwik');
    fs.writeFileSync(f, 'old content');
    expect(() =>
      editFileAtomicSync(f, (tmp) => {
        fs.writeFileSync(tmp, 'half written');
        throw new Error('h5 write failed');
      }),
    ).toThrow('h5 write failed');
    expect(fs.readFileSync(f, 'utf8')).toBe('old content');
    expect(fs.readdirSync(dir)).toEqual(['a.kwik']);
  });
});

describe('copyFileAtomicSync', () => {
  it('copies the file and leaves no temp file', () => {
    const f = path.join(dir, 'a.kwik');
    fs.writeFileSync(f, 'data');
    copyFileAtomicSync(f, `${f}.bak`);
    expect(fs.readFileSync(`${f}.bak`, 'utf8')).toBe('data');
    expect(fs.readdirSync(dir).sort()).toEqual(['a.kwik', 'a.kwik.bak']);
  });
});
