// spikedock's import rules (GUIDE §1), one owner for all of them, as an ESLint plugin:
//
// - `spikedock/layers`: what each layer may import — other layers of src/ and electron/, Node
//   built-ins, Electron, UI libraries — for static imports, re-exports, dynamic `import()` and
//   `require()` alike (ESLint's no-restricted-imports sees only the static forms);
// - `spikedock/direction`: inside a layer, folders are ordered low → high (e.g. core: formats →
//   dataset → compute → session → generate); a file may import its own folder and lower ones,
//   never a higher one; a folder missing from the order is an error (place it); in
//   src/renderer/views a view never imports another view;
// - `spikedock/no-cycle`: no import cycle between files (Tarjan's SCCs over the relative imports
//   of the whole tree, built once per lint run).
//
// The tables live in eslint.config.js; this file only applies them.
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.mjs', '.js'];

/** Resolves a relative specifier from `fromFile` to a file of the tree, or null. */
function resolveRelative(fromFile, spec) {
  if (!spec.startsWith('.')) return null;
  const base = normalize(join(dirname(fromFile), spec));
  const candidates = [base, ...EXTENSIONS.map((e) => base + e), ...EXTENSIONS.map((e) => join(base, 'index' + e))];
  // `./x.js` written for a `./x.ts` file (ESM style).
  if (/\.(m?js)$/.test(base)) candidates.push(...['.ts', '.tsx', '.mts'].map((e) => base.replace(/\.(m?js)$/, e)));
  for (const c of candidates) {
    try {
      if (existsSync(c) && statSync(c).isFile()) return c;
    } catch {
      // unreadable: not resolvable
    }
  }
  return null;
}

/** Every module specifier a node names: static imports/exports, `import()`, `require()`. */
function moduleVisitor(check) {
  const literal = (node) => (node && node.type === 'Literal' && typeof node.value === 'string' ? node.value : null);
  return {
    ImportDeclaration: (node) => check(node.source, literal(node.source), 'import'),
    ExportNamedDeclaration: (node) => node.source && check(node.source, literal(node.source), 'import'),
    ExportAllDeclaration: (node) => check(node.source, literal(node.source), 'import'),
    ImportExpression: (node) => {
      const spec = literal(node.source);
      if (spec !== null) check(node.source, spec, 'dynamic import()');
    },
    CallExpression: (node) => {
      if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments.length === 1) {
        const spec = literal(node.arguments[0]);
        if (spec !== null) check(node.arguments[0], spec, 'require()');
      }
    },
  };
}

const toPosix = (p) => p.split(sep).join('/');

/** The layer (from options.layers) a repo-relative path belongs to, or null. */
function layerOf(layers, rel) {
  for (const layer of layers) if (rel === layer.dir || rel.startsWith(layer.dir + '/')) return layer;
  return null;
}

function matchesPackage(spec, patterns) {
  return patterns.some((p) => (p.endsWith('*') ? spec.startsWith(p.slice(0, -1)) : spec === p || spec.startsWith(p + '/')));
}

const layersRule = {
  meta: { type: 'problem', schema: [{ type: 'object' }], messages: { denied: '{{layer}} must not {{how}} {{what}} (GUIDE §1)' } },
  create(context) {
    const { root, layers, packages } = context.options[0];
    const file = context.filename;
    const layer = layerOf(layers, toPosix(relative(root, file)));
    if (!layer) return {};
    return moduleVisitor((node, spec, how) => {
      if (spec === null) return;
      if (spec.startsWith('.')) {
        const target = resolveRelative(file, spec);
        if (!target) return;
        const to = layerOf(layers, toPosix(relative(root, target)));
        if (to && to !== layer && !layer.mayImport.includes(to.name)) {
          context.report({ node, messageId: 'denied', data: { layer: layer.dir, how, what: to.dir } });
        }
        return;
      }
      for (const [group, patterns] of Object.entries(packages)) {
        if (layer.denyPackages.includes(group) && matchesPackage(spec, patterns)) {
          context.report({ node, messageId: 'denied', data: { layer: layer.dir, how, what: `${spec} (${group})` } });
        }
      }
    });
  },
};

/** The rank of a file in its layer's order: its top folder (or root file's base name). */
function rankOf(layer, relInLayer) {
  const parts = relInLayer.split('/');
  const key = parts.length > 1 ? parts[0] : parts[0].replace(/\.[^.]+$/, '');
  const i = layer.order.indexOf(key);
  if (i >= 0) return { key, rank: i };
  const dot = layer.order.indexOf('.');
  if (parts.length === 1 && dot >= 0) return { key: '.', rank: dot };
  return { key, rank: -1 };
}

const directionRule = {
  meta: {
    type: 'problem',
    schema: [{ type: 'object' }],
    messages: {
      upward: '{{from}} must not {{how}} {{to}}: inside {{layer}} the order is {{order}} (low → high)',
      unplaced: "{{what}} has no place in {{layer}}'s folder order (eslint.config.js): add it",
      view: 'a view never imports another view ({{to}}): share through the store, a command, or a helper outside the view folders',
    },
  },
  create(context) {
    const { root, layers, viewsDir, exceptions = [] } = context.options[0];
    const file = context.filename;
    const rel = toPosix(relative(root, file));
    const excepted = (relTo) => exceptions.some((e) => e.file === rel && e.imports === relTo);
    const layer = layerOf(layers, rel);
    if (!layer || !layer.order) return {};
    const from = rankOf(layer, rel.slice(layer.dir.length + 1));
    if (from.rank < 0) {
      return {
        Program: (node) => context.report({ node, messageId: 'unplaced', data: { what: `${layer.dir}/${from.key}`, layer: layer.dir } }),
      };
    }
    return moduleVisitor((node, spec, how) => {
      if (spec === null || !spec.startsWith('.')) return;
      const target = resolveRelative(file, spec);
      if (!target) return;
      const relTo = toPosix(relative(root, target));
      if (layerOf(layers, relTo) !== layer || excepted(relTo)) return;
      const to = rankOf(layer, relTo.slice(layer.dir.length + 1));
      if (to.rank > from.rank) {
        context.report({ node, messageId: 'upward', data: { from: `${layer.dir}/${from.key}`, to: `${layer.dir}/${to.key}`, how, layer: layer.dir, order: layer.order.join(' → ') } });
      }
      if (viewsDir && rel.startsWith(viewsDir + '/') && relTo.startsWith(viewsDir + '/')) {
        const a = rel.slice(viewsDir.length + 1).split('/');
        const b = relTo.slice(viewsDir.length + 1).split('/');
        if (a.length > 1 && b.length > 1 && a[0] !== b[0]) context.report({ node, messageId: 'view', data: { to: `${viewsDir}/${b[0]}` } });
      }
    });
  },
};

/** Relative-import graph of every source file under `dirs` (run-time imports only), built once per lint run. */
const graphs = new Map();
function importGraph(root, dirs) {
  const key = root + '|' + dirs.join(',');
  if (graphs.has(key)) return graphs.get(key);
  const edges = new Map();
  const SPEC = /^\s*(?:import|export)\s(?!type\s)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (/\.(tsx?|mts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) edges.set(p, new Set());
    }
  };
  for (const d of dirs) if (existsSync(join(root, d))) walk(join(root, d));
  for (const [f, out] of edges) {
    for (const m of readFileSync(f, 'utf8').matchAll(SPEC)) {
      const t = resolveRelative(f, m[1] ?? m[2] ?? m[3]);
      if (t && edges.has(t)) out.add(t);
    }
  }
  const graph = { edges, sccOf: components(edges) };
  graphs.set(key, graph);
  return graph;
}

/** Strongly connected components (Tarjan), each file → its component when that has 2+ files. */
function components(edges) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const on = new Set();
  const out = new Map();
  let i = 0;
  const strong = (v) => {
    index.set(v, i);
    low.set(v, i);
    i++;
    stack.push(v);
    on.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) === index.get(v)) {
      const c = [];
      let w;
      do {
        w = stack.pop();
        on.delete(w);
        c.push(w);
      } while (w !== v);
      if (c.length > 1) for (const f of c) out.set(f, c);
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) strong(v);
  return out;
}

const noCycleRule = {
  meta: { type: 'problem', schema: [{ type: 'object' }], messages: { cycle: 'import cycle: {{cycle}}' } },
  create(context) {
    const { root, dirs, exceptions = [] } = context.options[0];
    const file = context.filename;
    const rel = toPosix(relative(root, file));
    if (!dirs.some((d) => toPosix(relative(root, file)).startsWith(d + '/'))) return {};
    const graph = importGraph(root, dirs);
    return moduleVisitor((node, spec, how) => {
      if (spec === null || how === 'require()') return;
      if (node.parent?.importKind === 'type' || node.parent?.exportKind === 'type') return;
      const target = resolveRelative(file, spec);
      if (!target || exceptions.some((e) => e.file === rel && e.imports === toPosix(relative(root, target)))) return;
      const c = graph.sccOf.get(file);
      if (c && c.includes(target)) {
        context.report({ node, messageId: 'cycle', data: { cycle: c.map((f) => toPosix(relative(root, f))).join(' → ') } });
      }
    });
  },
};

export default { rules: { layers: layersRule, direction: directionRule, 'no-cycle': noCycleRule } };
