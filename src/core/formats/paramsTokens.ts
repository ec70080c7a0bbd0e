/**
 * The tokenizer of `params.py` (`params.ts`): Python's tokens for the literal subset — names,
 * numbers, strings in every quoting form (prefixes, triple quotes, escapes), operators and
 * logical newlines (bracket depth and line continuations).
 */
import { FormatError } from '../diagnostics';

export type TokKind = 'name' | 'number' | 'string' | 'op' | 'newline' | 'eof';

export interface Token {
  kind: TokKind;
  /** Source text (for names/ops), decoded value (for strings). */
  text: string;
  /** Numeric value of a number token. */
  num?: number;
  line: number;
}

const OPS3 = ['**=', '//=', '>>=', '<<=', '...'];
const OPS2 = ['**', '//', '==', '!=', '<=', '>=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '->', ':=', '<<', '>>'];
const OPS1 = '()[]{},:=+-*/%.;@<>&|^~!';

/** Python's simple escapes (`\n`, `\t`, …); anything else after a backslash is kept literally. */
const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

export function syntaxError(file: string, line: number, message: string): FormatError {
  return new FormatError(file, 'params.syntax', `line ${line}: ${message}`);
}

/** Decodes the body of a non-raw string literal as Python 3 does. */
function decodeEscapes(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\' || i + 1 >= body.length) {
      out += c;
      continue;
    }
    const n = body[i + 1];
    if (n in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[n];
      i++;
    } else if (n === '\n') {
      // Backslash-newline inside a string joins the lines.
      i++;
    } else if (n >= '0' && n <= '7') {
      let j = i + 1;
      while (j < body.length && j < i + 4 && body[j] >= '0' && body[j] <= '7') j++;
      out += String.fromCharCode(parseInt(body.slice(i + 1, j), 8));
      i = j - 1;
    } else if (n === 'x' || n === 'u' || n === 'U') {
      const len = n === 'x' ? 2 : n === 'u' ? 4 : 8;
      const hex = body.slice(i + 2, i + 2 + len);
      if (hex.length === len && /^[0-9a-fA-F]+$/.test(hex)) {
        out += String.fromCodePoint(parseInt(hex, 16));
        i += 1 + len;
      } else {
        // Python rejects a truncated \x/\u/\U escape; a Windows path such as 'C:\Users' is far
        // more likely than an intended escape, so keep it literally.
        out += c;
      }
    } else {
      // Unknown escapes (`\d`, `\s`, `\N{…}`) stay as written, backslash included.
      out += c;
    }
  }
  return out;
}

export function tokenize(source: string, file: string): Token[] {
  // Windows and old-Mac line endings count as one newline, as in Python.
  const text = source.replace(/\r\n?/g, '\n');
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let depth = 0;
  const n = text.length;
  const push = (kind: TokKind, t: string, num?: number): void => {
    tokens.push(num === undefined ? { kind, text: t, line } : { kind, text: t, num, line });
  };
  while (i < n) {
    const c = text[i];
    if (c === '\n') {
      if (depth === 0 && tokens.length && tokens[tokens.length - 1].kind !== 'newline') push('newline', '\n');
      line++;
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\f' || c === '\uFEFF') {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (c === '\\') {
      // Explicit line continuation.
      const j = i + 1;
      if (text[j] !== '\n') throw syntaxError(file, line, 'unexpected character after line continuation backslash');
      line++;
      i = j + 1;
      continue;
    }
    // String literal, with an optional prefix (r, u, b, combinations; f-strings are rejected).
    const pm = /^([rRuUbBfF]{0,2})(['"])/.exec(text.slice(i, i + 3));
    if (pm) {
      const prefix = pm[1].toLowerCase();
      if (prefix.includes('f')) throw syntaxError(file, line, 'f-strings are not allowed in params.py (they execute code)');
      if (!/^(|r|u|b|br|rb)$/.test(prefix)) throw syntaxError(file, line, `unknown string prefix '${pm[1]}'`);
      const raw = prefix.includes('r');
      const q = pm[2];
      let j = i + pm[1].length;
      const triple = text.startsWith(q + q + q, j);
      const delim = triple ? q + q + q : q;
      j += delim.length;
      const startLine = line;
      const bodyStart = j;
      for (;;) {
        if (j >= n) throw syntaxError(file, startLine, `unterminated string literal (opened with ${delim})`);
        const d = text[j];
        if (d === '\\') {
          if (text[j + 1] === '\n') line++;
          j += 2;
          continue;
        }
        if (d === '\n') {
          if (!triple) throw syntaxError(file, startLine, `unterminated string literal (opened with ${delim})`);
          line++;
        }
        if (text.startsWith(delim, j)) break;
        j++;
      }
      const body = text.slice(bodyStart, j);
      tokens.push({ kind: 'string', text: raw ? body : decodeEscapes(body), line: startLine });
      i = j + delim.length;
      continue;
    }
    // Number: int, float (`25000.`, `.015`, `1e4`), hex/octal/binary, `_` separators.
    const nm = /^(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(\d[\d_]*\.?[\d_]*|\.\d[\d_]*)([eE][+-]?\d+)?)[jJ]?/.exec(text.slice(i, i + 64));
    if (nm && /[\d.]/.test(c) && !(c === '.' && !/\d/.test(text[i + 1] ?? ''))) {
      const s = nm[0];
      if (/[jJ]$/.test(s)) throw syntaxError(file, line, `complex numbers are not supported (${s})`);
      const clean = s.replace(/_/g, '');
      let v: number;
      if (/^0[xXoObB]/.test(clean)) v = Number(clean);
      else if (/^0\d+$/.test(clean) && /[1-9]/.test(clean)) throw syntaxError(file, line, `leading zeros in a decimal integer are not allowed in Python 3 (${s})`);
      else v = Number(clean);
      if (Number.isNaN(v)) throw syntaxError(file, line, `bad number '${s}'`);
      push('number', s, v);
      i += s.length;
      continue;
    }
    const id = /^[A-Za-z_\u00C0-\uFFFF][A-Za-z0-9_\u00C0-\uFFFF]*/.exec(text.slice(i, i + 256));
    if (id) {
      push('name', id[0]);
      i += id[0].length;
      continue;
    }
    const op = OPS3.find((o) => text.startsWith(o, i)) ?? OPS2.find((o) => text.startsWith(o, i)) ?? (OPS1.includes(c) ? c : undefined);
    if (op) {
      if (op === '(' || op === '[' || op === '{') depth++;
      else if (op === ')' || op === ']' || op === '}') {
        if (depth === 0) throw syntaxError(file, line, `unmatched '${op}'`);
        depth--;
      }
      push('op', op);
      i += op.length;
      continue;
    }
    throw syntaxError(file, line, `unexpected character ${JSON.stringify(c)}`);
  }
  if (depth > 0) throw syntaxError(file, line, 'unexpected end of file inside brackets (a bracket was never closed)');
  if (tokens.length && tokens[tokens.length - 1].kind !== 'newline') push('newline', '\n');
  push('eof', '');
  return tokens;
}
