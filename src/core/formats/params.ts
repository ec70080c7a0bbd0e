/**
 * `params.py` (and Kwik `.prm`) reader and writer. The tokenizer is in `paramsTokens.ts`.
 *
 * phy `exec`s `params.py`; we never execute anything. Instead this module parses the subset of
 * Python that Kilosort 1–4, phy, SpikeInterface and klusta actually write: assignments
 * `name = expr` whose expressions are literals (numbers, strings with every Python quoting form,
 * `True`/`False`/`None`, lists, tuples, `{...}` and `dict(k=v)` dicts), earlier variables, and
 * `+ - * /` between them (`experiment_name + '.dat'`, `0.95 * .5`). Anything else — imports,
 * calls, attribute access, control flow — is a {@link FormatError} `params.syntax` whose message
 * names the line, so a hostile or exotic file can only fail to open, never run code.
 */
import type { FormatError } from '../diagnostics';
import { syntaxError, tokenize, type Token } from './paramsTokens';

/** A value of the literal subset: what `parseParams` returns for each key. */
export type ParamValue = number | string | boolean | null | ParamValue[] | { [key: string]: ParamValue };

const KEYWORDS = new Set([
  'import', 'from', 'def', 'class', 'if', 'elif', 'else', 'for', 'while', 'with', 'try', 'except', 'finally',
  'return', 'lambda', 'del', 'global', 'nonlocal', 'assert', 'raise', 'pass', 'yield', 'async', 'await',
  'and', 'or', 'not', 'in', 'is', 'break', 'continue',
]);

function setKey(obj: Record<string, ParamValue>, key: string, value: ParamValue): void {
  // defineProperty so a key named `__proto__` stays an ordinary key.
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

function describe(v: ParamValue): string {
  if (v === null) return 'None';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object') return 'dict';
  if (typeof v === 'boolean') return 'bool';
  return typeof v === 'number' ? 'number' : 'str';
}

class Parser {
  private pos = 0;
  /** Variables assigned so far, by their name as written (Python names are case-sensitive). */
  private readonly env = new Map<string, ParamValue>();

  constructor(
    private readonly tokens: Token[],
    private readonly file: string,
  ) {}

  private peek(k = 0): Token {
    return this.tokens[Math.min(this.pos + k, this.tokens.length - 1)];
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }

  private isOp(t: Token, op: string): boolean {
    return t.kind === 'op' && t.text === op;
  }

  private expectOp(op: string, context: string): Token {
    const t = this.next();
    if (!this.isOp(t, op)) throw this.err(t, `expected '${op}' ${context}, found ${this.show(t)}`);
    return t;
  }

  private show(t: Token): string {
    if (t.kind === 'eof') return 'end of file';
    if (t.kind === 'newline') return 'end of line';
    if (t.kind === 'string') return `string ${JSON.stringify(t.text.slice(0, 40))}`;
    return `'${t.text}'`;
  }

  private err(t: Token, message: string): FormatError {
    return syntaxError(this.file, t.line, message);
  }

  /** Parses the whole module into `name → value` (names lower-cased, last assignment wins). */
  parseModule(): Record<string, ParamValue> {
    const out: Record<string, ParamValue> = {};
    for (;;) {
      const t = this.peek();
      if (t.kind === 'eof') return out;
      if (t.kind === 'newline' || this.isOp(t, ';')) {
        this.next();
        continue;
      }
      this.statement(out);
      const end = this.next();
      if (end.kind !== 'newline' && end.kind !== 'eof' && !this.isOp(end, ';')) {
        throw this.err(end, `unexpected ${this.show(end)} after the assignment (one 'name = value' per line)`);
      }
      if (end.kind === 'eof') return out;
    }
  }

  private statement(out: Record<string, ParamValue>): void {
    const t = this.next();
    if (t.kind === 'name' && (t.text === 'import' || t.text === 'from')) {
      throw this.err(t, `'${t.text}' statements are not allowed in params.py (nothing is executed; only 'name = value' assignments)`);
    }
    if (t.kind !== 'name' || KEYWORDS.has(t.text)) {
      throw this.err(t, `expected an assignment 'name = value', found ${this.show(t)}`);
    }
    const eq = this.next();
    if (!this.isOp(eq, '=')) {
      if (this.isOp(eq, '(')) throw this.err(eq, `function calls are not allowed in params.py ('${t.text}(...)')`);
      if (this.isOp(eq, '.')) throw this.err(eq, `attribute access is not allowed in params.py ('${t.text}.…')`);
      throw this.err(eq, `expected '=' after '${t.text}', found ${this.show(eq)}`);
    }
    const value = this.expr();
    this.env.set(t.text, value);
    setKey(out, t.text.toLowerCase(), value);
  }

  private expr(): ParamValue {
    let left = this.term();
    for (;;) {
      const t = this.peek();
      if (!this.isOp(t, '+') && !this.isOp(t, '-')) return left;
      this.next();
      const right = this.term();
      left = this.binary(t, left, right);
    }
  }

  private term(): ParamValue {
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      if (!this.isOp(t, '*') && !this.isOp(t, '/') && !this.isOp(t, '//') && !this.isOp(t, '%')) return left;
      this.next();
      const right = this.unary();
      left = this.binary(t, left, right);
    }
  }

  private unary(): ParamValue {
    const t = this.peek();
    if (this.isOp(t, '-') || this.isOp(t, '+')) {
      this.next();
      const v = this.unary();
      if (typeof v !== 'number') throw this.err(t, `unary '${t.text}' needs a number, found ${describe(v)}`);
      return t.text === '-' ? -v : v;
    }
    return this.power();
  }

  private power(): ParamValue {
    const base = this.postfix();
    const t = this.peek();
    if (!this.isOp(t, '**')) return base;
    this.next();
    const exp = this.unary();
    return this.binary(t, base, exp);
  }

  private binary(op: Token, a: ParamValue, b: ParamValue): ParamValue {
    if (typeof a === 'number' && typeof b === 'number') {
      switch (op.text) {
        case '+':
          return a + b;
        case '-':
          return a - b;
        case '*':
          return a * b;
        case '**':
          return a ** b;
        case '/':
        case '//':
        case '%':
          if (b === 0) throw this.err(op, 'division by zero');
          if (op.text === '/') return a / b;
          if (op.text === '//') return Math.floor(a / b);
          return a - b * Math.floor(a / b);
      }
    }
    if (op.text === '+' && typeof a === 'string' && typeof b === 'string') return a + b;
    if (op.text === '+' && Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
    throw this.err(op, `unsupported operation: ${describe(a)} ${op.text} ${describe(b)}`);
  }

  private postfix(): ParamValue {
    const start = this.peek();
    const v = this.atom();
    const t = this.peek();
    if (this.isOp(t, '(')) throw this.err(t, `function calls are not allowed in params.py (${this.show(start)}(...))`);
    if (this.isOp(t, '.')) throw this.err(t, `attribute access is not allowed in params.py (${this.show(start)}.…)`);
    if (this.isOp(t, '[')) throw this.err(t, 'indexing is not allowed in params.py');
    return v;
  }

  private atom(): ParamValue {
    const t = this.next();
    switch (t.kind) {
      case 'number':
        return t.num!;
      case 'string': {
        // Adjacent literals concatenate ('a' 'b' == 'ab').
        let s = t.text;
        while (this.peek().kind === 'string') s += this.next().text;
        return s;
      }
      case 'name':
        return this.name(t);
      case 'op':
        if (t.text === '(') return this.parenthesised();
        if (t.text === '[') return this.sequence(']');
        if (t.text === '{') return this.dictLiteral(t);
        throw this.err(t, `unexpected ${this.show(t)} where a value was expected`);
      default:
        throw this.err(t, `unexpected ${this.show(t)} where a value was expected`);
    }
  }

  private name(t: Token): ParamValue {
    switch (t.text) {
      case 'True':
        return true;
      case 'False':
        return false;
      case 'None':
        return null;
    }
    if (t.text === 'dict' && this.isOp(this.peek(), '(')) {
      this.next();
      return this.dictCall(t);
    }
    if (KEYWORDS.has(t.text)) throw this.err(t, `'${t.text}' is not allowed in params.py`);
    if (this.isOp(this.peek(), '(')) throw this.err(this.peek(), `function calls are not allowed in params.py ('${t.text}(...)')`);
    if (this.isOp(this.peek(), '.')) throw this.err(this.peek(), `attribute access is not allowed in params.py ('${t.text}.…')`);
    if (!this.env.has(t.text)) throw this.err(t, `name '${t.text}' is not defined (only names assigned earlier in the file can be used)`);
    return this.env.get(t.text)!;
  }

  /** After `(`: a parenthesised expression or a tuple (returned as an array). */
  private parenthesised(): ParamValue {
    if (this.isOp(this.peek(), ')')) {
      this.next();
      return [];
    }
    const first = this.expr();
    if (this.isOp(this.peek(), ')')) {
      this.next();
      return first;
    }
    this.expectOp(',', 'in a tuple');
    const rest = this.sequence(')');
    return [first, ...rest];
  }

  /** Comma-separated values up to `close` (trailing comma allowed); the opener is consumed. */
  private sequence(close: string): ParamValue[] {
    const out: ParamValue[] = [];
    for (;;) {
      if (this.isOp(this.peek(), close)) {
        this.next();
        return out;
      }
      out.push(this.expr());
      const t = this.next();
      if (this.isOp(t, close)) return out;
      if (!this.isOp(t, ',')) throw this.err(t, `expected ',' or '${close}', found ${this.show(t)}`);
    }
  }

  private dictLiteral(open: Token): ParamValue {
    const out: Record<string, ParamValue> = {};
    for (;;) {
      if (this.isOp(this.peek(), '}')) {
        this.next();
        return out;
      }
      const kt = this.peek();
      const key = this.expr();
      if (typeof key !== 'string' && typeof key !== 'number') {
        throw this.err(kt, `dict keys must be strings or numbers, found ${describe(key)}`);
      }
      if (!this.isOp(this.peek(), ':')) {
        throw this.err(this.peek(), `expected ':' in the dict opened on line ${open.line} (sets are not supported), found ${this.show(this.peek())}`);
      }
      this.next();
      setKey(out, String(key), this.expr());
      const t = this.next();
      if (this.isOp(t, '}')) return out;
      if (!this.isOp(t, ',')) throw this.err(t, `expected ',' or '}', found ${this.show(t)}`);
    }
  }

  /** After `dict(`: keyword arguments only. */
  private dictCall(open: Token): ParamValue {
    const out: Record<string, ParamValue> = {};
    for (;;) {
      if (this.isOp(this.peek(), ')')) {
        this.next();
        return out;
      }
      const k = this.next();
      if (k.kind !== 'name' || KEYWORDS.has(k.text) || !this.isOp(this.peek(), '=')) {
        throw this.err(k, `dict(...) on line ${open.line} accepts only keyword arguments 'name=value', found ${this.show(k)}`);
      }
      this.next();
      setKey(out, k.text, this.expr());
      const t = this.next();
      if (this.isOp(t, ')')) return out;
      if (!this.isOp(t, ',')) throw this.err(t, `expected ',' or ')', found ${this.show(t)}`);
    }
  }
}

/**
 * Parses a `params.py` / `.prm` file into `name → value` with names lower-cased (as phy does).
 * Values: numbers (ints and floats alike), strings, booleans, null (`None`), arrays (lists and
 * tuples) and plain objects (dicts, keys as written). Never executes anything.
 *
 * @param text the file's contents
 * @param file the path shown in errors
 * @throws FormatError `params.syntax` with `line N: …` for anything outside the literal subset
 */
export function parseParams(text: string, file: string): Record<string, unknown> {
  return new Parser(tokenize(text, file), file).parseModule();
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Python `repr` of a string: single-quoted, escaping what needs escaping. */
function reprString(s: string): string {
  let out = "'";
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += '\\x' + code.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + "'";
}

function reprNumber(v: number): string {
  if (!Number.isFinite(v)) throw new RangeError(`params.py cannot hold the non-finite number ${v}`);
  if (Number.isInteger(v) && Math.abs(v) < 1e16) return String(v);
  const s = String(v);
  // JS writes 1e+21, Python reads 1e+21 too; keep a float marker for integral large values.
  return /[.e]/.test(s) ? s : s + '.0';
}

function repr(v: unknown, path: string): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return reprNumber(v);
  if (typeof v === 'string') return reprString(v);
  if (Array.isArray(v)) return '[' + v.map((x, i) => repr(x, `${path}[${i}]`)).join(', ') + ']';
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    return '[' + Array.from(v as unknown as ArrayLike<number>, (x, i) => repr(Number(x), `${path}[${i}]`)).join(', ') + ']';
  }
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>);
    return '{' + entries.map(([k, x]) => `${reprString(k)}: ${repr(x, `${path}.${k}`)}`).join(', ') + '}';
  }
  throw new TypeError(`params.py cannot hold ${typeof v} (at ${path})`);
}

/**
 * Writes a `params.py` that phy and {@link parseParams} both read: one `name = value` line per
 * key, in insertion order. Keys must be Python identifiers; strings use Python escapes.
 *
 * @throws TypeError for a key that is not an identifier or a value outside the literal subset
 */
export function formatParams(values: Record<string, unknown>): string {
  let out = '';
  for (const [k, v] of Object.entries(values)) {
    if (!IDENT.test(k) || KEYWORDS.has(k) || k === 'True' || k === 'False' || k === 'None') {
      throw new TypeError(`'${k}' is not a valid params.py name`);
    }
    out += `${k} = ${repr(v, k)}\n`;
  }
  return out;
}
