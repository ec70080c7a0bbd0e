#!/usr/bin/env node
// Prints bench/results.json as the Markdown table used in docs/BENCHMARKS.md.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const r = JSON.parse(readFileSync(join(root, 'bench', 'results.json'), 'utf8'));
const fmt = (v) => (v === null || Number.isNaN(v) ? "—" : Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(1) : v.toFixed(2));
const areaDates = [...new Set(r.rows.map((row) => `${row.area} ${(row.date ?? r.date).slice(0, 16).replace('T', ' ')}`))].join(', ');
console.log(`Latest run ${r.date.slice(0, 16).replace('T', ' ')} UTC (areas measured: ${areaDates} UTC) — ${r.machine.cores} cores, ${r.machine.memGB} GB, Node ${r.machine.node}; ` +
  `\`${r.preset}\` preset: ${r.dataset.nSpikes?.toLocaleString('en')} spikes, ${r.dataset.nClusters} clusters, ${r.dataset.rawSeconds} s of raw data.\n`);
console.log('| area | measurement | value | target / reference |');
console.log('|---|---|---:|---|');
for (const row of r.rows) console.log(`| ${row.area} | ${row.metric.trim()} | ${fmt(row.value)} ${row.unit} | ${row.target || ''} |`);
