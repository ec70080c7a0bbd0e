/**
 * phy's cluster filter (`n_spikes > 1000 && group != 'noise'`), parsed by a small recursive
 * descent parser and compiled to closures — never `eval`, so a filter can only read columns.
 *
 * Grammar (Python/JS-like, as phy accepts):
 *   or      := and (('||' | 'or') and)*
 *   and     := not (('&&' | 'and') not)*
 *   not     := ('!' | 'not') not | compare
 *   compare := sum (('==' | '=' | '!=' | '<' | '<=' | '>' | '>=') sum)?
 *   sum     := product (('+' | '-') product)*
 *   product := unary (('*' | '/' | '%') unary)*
 *   unary   := '-' unary | atom
 *   atom    := number | 'string' | "string" | name | null | true | false | '(' or ')'
 * Names are column names (`n_spikes`, `fr`, `group`, `KSLabel`, …); an unknown name is an error.
 *
 * It lives in core because two layers evaluate the same language: ClusterView's filter
 * (renderer) and the expression rules of the label rules (`core/rules`, used by the CLI too).
 */

/** A value an expression computes with (a column's value, a literal, a comparison's result). */
export type FilterValue = string | number | boolean | null;

/** Reads a column of one row; undefined means "no such column". */
export type ColumnReader<Row> = (row: Row, column: string) => FilterValue | undefined;

/** A malformed expression; `position` is the character where the problem is. */
export class FilterSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
    this.name = 'FilterSyntaxError';
  }
}

type Token =
  | { kind: 'num'; value: number; pos: number }
  | { kind: 'str'; value: string; pos: number }
  | { kind: 'name'; value: string; pos: number }
  | { kind: 'op'; value: string; pos: number }
  | { kind: 'end'; pos: number };

/** Words that are not column names (`and`/`or`/`not`, and the literals). */
const KEYWORDS = new Set(['and', 'or', 'not', 'null', 'none', 'true', 'false']);

const OPERATORS = ['&&', '||', '==', '!=', '<=', '>=', '<', '>', '=', '!', '(', ')', '+', '-', '*', '/', '%'];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (/[0-9.]/.test(ch)) {
      const m = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i));
      if (!m) throw new FilterSyntaxError(`unexpected '${ch}'`, i);
      tokens.push({ kind: 'num', value: Number(m[0]), pos: i });
      i += m[0].length;
      continue;
    }
    if (ch === "'" || ch === '"') {
      const end = text.indexOf(ch, i + 1);
      if (end < 0) throw new FilterSyntaxError('unterminated string', i);
      tokens.push({ kind: 'str', value: text.slice(i + 1, end), pos: i });
      i = end + 1;
      continue;
    }
    if (/[A-Za-z_]/.test(ch)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i))!;
      tokens.push({ kind: 'name', value: m[0], pos: i });
      i += m[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (!op) throw new FilterSyntaxError(`unexpected '${ch}'`, i);
    tokens.push({ kind: 'op', value: op, pos: i });
    i += op.length;
  }
  tokens.push({ kind: 'end', pos: text.length });
  return tokens;
}

type Node<Row> = (row: Row) => FilterValue;

function truthy(v: FilterValue): boolean {
  return v !== null && v !== false && v !== 0 && v !== '';
}

function toNumber(v: FilterValue): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
}

function equals(a: FilterValue, b: FilterValue): boolean {
  if (a === null || b === null) return a === b;
  const na = toNumber(a);
  const nb = toNumber(b);
  if (na !== null && nb !== null && (typeof a === 'number' || typeof b === 'number')) return na === nb;
  return String(a) === String(b);
}

function compare(op: string, a: FilterValue, b: FilterValue): boolean {
  if (op === '==' || op === '=') return equals(a, b);
  if (op === '!=') return !equals(a, b);
  if (a === null || b === null) return false;
  const na = toNumber(a);
  const nb = toNumber(b);
  const [x, y] = na !== null && nb !== null ? [na, nb] : [String(a), String(b)];
  switch (op) {
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    default:
      return x >= y;
  }
}

class Parser<Row> {
  private i = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly columns: ReadonlySet<string>,
    private readonly read: ColumnReader<Row>,
  ) {}

  private peek(): Token {
    return this.tokens[this.i];
  }

  private isOp(...values: string[]): string | null {
    const t = this.peek();
    if (t.kind === 'op' && values.includes(t.value)) return t.value;
    return null;
  }

  private isWord(word: string): boolean {
    const t = this.peek();
    return t.kind === 'name' && t.value === word;
  }

  parse(): Node<Row> {
    const node = this.or();
    const t = this.peek();
    if (t.kind !== 'end') throw new FilterSyntaxError(`unexpected '${'value' in t ? t.value : ''}'`, t.pos);
    return node;
  }

  private or(): Node<Row> {
    let left = this.and();
    while (this.isOp('||') || this.isWord('or')) {
      this.i++;
      const a = left;
      const b = this.and();
      left = (r) => truthy(a(r)) || truthy(b(r));
    }
    return left;
  }

  private and(): Node<Row> {
    let left = this.not();
    while (this.isOp('&&') || this.isWord('and')) {
      this.i++;
      const a = left;
      const b = this.not();
      left = (r) => truthy(a(r)) && truthy(b(r));
    }
    return left;
  }

  private not(): Node<Row> {
    if (this.isOp('!') || this.isWord('not')) {
      this.i++;
      const a = this.not();
      return (r) => !truthy(a(r));
    }
    return this.compare();
  }

  private compare(): Node<Row> {
    const left = this.sum();
    const op = this.isOp('==', '=', '!=', '<', '<=', '>', '>=');
    if (!op) return left;
    this.i++;
    const right = this.sum();
    return (r) => compare(op, left(r), right(r));
  }

  private sum(): Node<Row> {
    let left = this.product();
    for (let op = this.isOp('+', '-'); op; op = this.isOp('+', '-')) {
      this.i++;
      const a = left;
      const b = this.product();
      const o = op;
      left = (r) => {
        const x = a(r);
        const y = b(r);
        if (o === '+' && (typeof x === 'string' || typeof y === 'string')) return `${x ?? ''}${y ?? ''}`;
        const nx = toNumber(x);
        const ny = toNumber(y);
        if (nx === null || ny === null) return null;
        return o === '+' ? nx + ny : nx - ny;
      };
    }
    return left;
  }

  private product(): Node<Row> {
    let left = this.unary();
    for (let op = this.isOp('*', '/', '%'); op; op = this.isOp('*', '/', '%')) {
      this.i++;
      const a = left;
      const b = this.unary();
      const o = op;
      left = (r) => {
        const nx = toNumber(a(r));
        const ny = toNumber(b(r));
        if (nx === null || ny === null) return null;
        return o === '*' ? nx * ny : o === '/' ? nx / ny : nx % ny;
      };
    }
    return left;
  }

  private unary(): Node<Row> {
    if (this.isOp('-')) {
      this.i++;
      const a = this.unary();
      return (r) => {
        const n = toNumber(a(r));
        return n === null ? null : -n;
      };
    }
    return this.atom();
  }

  private atom(): Node<Row> {
    const t = this.peek();
    if (t.kind === 'num' || t.kind === 'str') {
      this.i++;
      const v = t.value;
      return () => v;
    }
    if (t.kind === 'name') {
      this.i++;
      const lower = t.value.toLowerCase();
      if (lower === 'null' || lower === 'none') return () => null;
      if (lower === 'true') return () => true;
      if (lower === 'false') return () => false;
      const name = t.value;
      if (!this.columns.has(name)) throw new FilterSyntaxError(`unknown column '${name}'`, t.pos);
      const read = this.read;
      return (r) => read(r, name) ?? null;
    }
    if (this.isOp('(')) {
      this.i++;
      const inner = this.or();
      if (!this.isOp(')')) throw new FilterSyntaxError("missing ')'", this.peek().pos);
      this.i++;
      return inner;
    }
    if (t.kind === 'end') throw new FilterSyntaxError('incomplete expression', t.pos);
    throw new FilterSyntaxError(`unexpected '${t.value}'`, t.pos);
  }
}

/**
 * The column names an expression reads (literals such as `null` and `and` excluded), in order of
 * first use: what a caller must compute before evaluating it.
 * @throws FilterSyntaxError when the expression cannot be tokenized.
 */
export function filterNames(text: string): string[] {
  const out = new Set<string>();
  for (const t of tokenize(text)) if (t.kind === 'name' && !KEYWORDS.has(t.value.toLowerCase())) out.add(t.value);
  return [...out];
}

/**
 * Compiles a filter expression over rows. An empty expression accepts every row.
 * @throws FilterSyntaxError with the character position of the problem.
 */
export function compileFilter<Row>(text: string, columns: Iterable<string>, read: ColumnReader<Row>): (row: Row) => boolean {
  if (text.trim() === '') return () => true;
  const node = new Parser<Row>(tokenize(text), new Set(columns), read).parse();
  return (row) => truthy(node(row));
}
