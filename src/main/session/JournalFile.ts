/**
 * The session journal on disk: `journal.jsonl`, one {@link JournalRecord} per line. Each append
 * is written and fdatasync'd before the action is acknowledged, so an acknowledged action
 * survives a crash or a power cut. A torn last line (a crash in the middle of a write) is
 * dropped with a diagnostic and cut off the file, so later appends start on a clean line.
 */
import * as fs from 'node:fs';
import type { Diagnostic } from '../../core/diagnostics';
import type { JournalHeader, JournalRecord } from '../../core/session/Curation';

/** What {@link readJournal} found. */
export interface JournalContents {
  header: JournalHeader | null;
  records: JournalRecord[];
  diagnostics: Diagnostic[];
  /** Byte length of the valid part (the file is cut to this before appending). */
  validBytes: number;
}

/** Reads a journal; a missing file gives an empty result. Never throws for bad content. */
export function readJournal(file: string): JournalContents {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { header: null, records: [], diagnostics: [], validBytes: 0 };
    throw e;
  }
  const diagnostics: Diagnostic[] = [];
  const records: JournalRecord[] = [];
  let header: JournalHeader | null = null;
  let pos = 0;
  let lineNo = 0;
  while (pos < buf.length) {
    const nl = buf.indexOf(0x0a, pos);
    lineNo++;
    const complete = nl >= 0;
    const text = buf.toString('utf8', pos, complete ? nl : buf.length);
    let rec: JournalRecord | null = null;
    try {
      rec = JSON.parse(text) as JournalRecord;
    } catch {
      rec = null;
    }
    if (!complete || !rec || typeof rec !== 'object' || typeof (rec as { t?: unknown }).t !== 'string') {
      const last = !complete || buf.indexOf(0x0a, nl + 1) < 0;
      diagnostics.push({
        severity: 'warning',
        code: last ? 'journal.tornLine' : 'journal.badLine',
        file,
        message: last
          ? `line ${lineNo} of the journal is incomplete (the app stopped while writing it); that action was never acknowledged and is ignored`
          : `line ${lineNo} of the journal is unreadable; it and everything after it are ignored`,
      });
      break;
    }
    if (rec.t === 'header') {
      if (header) break;
      header = rec;
    } else {
      records.push(rec);
    }
    pos = nl + 1;
  }
  return { header, records, diagnostics, validBytes: Math.min(pos, buf.length) };
}

/** An open journal for appending. */
export class JournalFile {
  private fd: number | null;
  private size: number;

  private constructor(
    readonly file: string,
    fd: number,
    size: number,
  ) {
    this.fd = fd;
    this.size = size;
  }

  /** Opens for appending after cutting the file to `validBytes` (drops a torn last line). */
  static openForAppend(file: string, validBytes: number): JournalFile {
    const fd = fs.openSync(file, fs.existsSync(file) ? 'r+' : 'w+');
    const size = fs.fstatSync(fd).size;
    if (size !== validBytes) {
      fs.ftruncateSync(fd, validBytes);
      fs.fsyncSync(fd);
    }
    return new JournalFile(file, fd, validBytes);
  }

  /** Appends one record and makes it durable (fdatasync) before returning. */
  append(rec: JournalRecord): void {
    if (this.fd === null) throw new Error('journal is closed');
    const buf = Buffer.from(JSON.stringify(rec) + '\n', 'utf8');
    const pos = this.size;
    try {
      let off = 0;
      while (off < buf.length) off += fs.writeSync(this.fd, buf, off, buf.length - off, pos + off);
      fs.fdatasyncSync(this.fd);
    } catch (e) {
      // A partial line (disk full…) must not stay: the action is refused, the file cut back.
      try {
        fs.ftruncateSync(this.fd, pos);
      } catch {
        // The caller reports the original error; the reader drops a torn line anyway.
      }
      throw e;
    }
    this.size = pos + buf.length;
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
}
