import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Logger, formatLogLine } from '../../../../src/main/app/Logger';

const temp = () => mkdtempSync(path.join(tmpdir(), 'spikedock-log-'));

describe('Logger', () => {
  it('writes to <userData>/logs/spikedock.log, one timestamped line per event', () => {
    const dir = temp();
    const log = Logger.inUserData(dir);
    expect(log.file).toBe(path.join(dir, 'logs', 'spikedock.log'));
    log.info('opened /data/mouse 1');
    log.warn('raw data missing', { file: 'x.dat' });
    log.debug('not written at the default level');
    const lines = readFileSync(log.file, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO  opened \/data\/mouse 1$/);
    expect(lines[1]).toMatch(/WARN  raw data missing$/);
    expect(lines[2]).toContain("file: 'x.dat'");
    expect(lines).toHaveLength(3);
  });

  it('writes an error with its stack, indented', () => {
    const log = Logger.inUserData(temp());
    log.error('uncaught exception in main', new Error('boom'));
    const text = readFileSync(log.file, 'utf8');
    expect(text).toMatch(/ERROR uncaught exception in main\n  Error: boom\n {4,}at /);
  });

  it('rotates at maxBytes and keeps `keep` old files', () => {
    const dir = temp();
    const log = new Logger(path.join(dir, 'app.log'), { maxBytes: 1000, keep: 2 });
    const line = 'x'.repeat(150);
    for (let i = 0; i < 40; i++) log.info(`${i} ${line}`);
    expect(readdirSync(dir).sort()).toEqual(['app.log', 'app.log.1', 'app.log.2']);
    for (const f of readdirSync(dir)) expect(readFileSync(path.join(dir, f)).length).toBeLessThanOrEqual(1000);
    // The newest line is in the current file, the one before rotation in .1.
    expect(readFileSync(path.join(dir, 'app.log'), 'utf8')).toContain('INFO  39 ');
    const older = readFileSync(path.join(dir, 'app.log.1'), 'utf8');
    expect(older).not.toContain('INFO  39 ');
  });

  it('continues an existing file and counts its size', () => {
    const dir = temp();
    const file = path.join(dir, 'app.log');
    new Logger(file, { maxBytes: 400 }).info('a'.repeat(300));
    new Logger(file, { maxBytes: 400 }).info('b'.repeat(300));
    expect(existsSync(file + '.1')).toBe(true);
    expect(readFileSync(file, 'utf8')).toContain('bbb');
  });

  it('never throws when the log cannot be written', () => {
    const dir = temp();
    // A file where the logs folder should be.
    const log = new Logger(path.join(dir, 'app.log', 'nested.log'));
    new Logger(path.join(dir, 'app.log')).info('occupies the name');
    expect(() => log.error('still fine')).not.toThrow();
  });

  it('formats a line from a time, level, message and detail', () => {
    expect(formatLogLine(new Date('2025-01-02T03:04:05.006Z'), 'info', 'hello', 'two\nlines')).toBe('2025-01-02T03:04:05.006Z INFO  hello\n  two\n  lines\n');
  });
});
