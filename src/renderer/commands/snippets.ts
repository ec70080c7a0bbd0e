/**
 * phy's `:` snippets: `:name arg arg…`. Arguments are space-separated; for cluster ids `3-6` is
 * a range and `1,2,3` a list (phy/gui/actions.py `_parse_snippet`). `:s<xx>` sorts by the column
 * whose name without `_` starts with `xx` (phy's generated aliases, e.g. `:sns` = sort by n_spikes).
 */

export interface ParsedSnippet {
  name: string;
  args: string[];
}

/** Splits `:c 3 7` (leading ':' optional) into name and arguments; null when empty. */
export function parseSnippet(text: string): ParsedSnippet | null {
  const body = text.trim().replace(/^:/, '').trim();
  if (!body) return null;
  const [name, ...args] = body.split(/\s+/);
  return { name, args };
}

/** Cluster ids from snippet arguments: `3 7`, `3-6`, `1,2,3` (order kept, duplicates dropped). */
export function parseIdList(args: readonly string[]): number[] {
  const out: number[] = [];
  for (const arg of args.flatMap((a) => a.split(','))) {
    if (!arg) continue;
    const range = /^(\d+)-(\d+)$/.exec(arg);
    if (range) {
      const [a, b] = [Number(range[1]), Number(range[2])];
      const step = a <= b ? 1 : -1;
      for (let i = a; step > 0 ? i <= b : i >= b; i += step) out.push(i);
      continue;
    }
    if (!/^\d+$/.test(arg)) throw new Error(`'${arg}' is not a cluster id`);
    out.push(Number(arg));
  }
  return [...new Set(out)];
}

/** The column a `:s<xx>` alias means, or null. */
export function sortAliasColumn(name: string, columns: readonly string[]): string | null {
  if (!/^s[A-Za-z0-9]{2}$/.test(name)) return null;
  const prefix = name.slice(1);
  return columns.find((c) => c.replace(/_/g, '').startsWith(prefix)) ?? null;
}

/** One number argument, with a clear error naming the snippet. */
export function numberArg(args: readonly string[], snippet: string): number {
  const v = Number(args[0]);
  if (args.length === 0 || !Number.isFinite(v)) throw new Error(`:${snippet} needs a number`);
  return v;
}
