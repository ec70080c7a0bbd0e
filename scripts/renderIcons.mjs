#!/usr/bin/env node
// Renders assets/icon.svg to the PNG sizes the installers need (assets/icons/<n>x<n>.png, the
// layout electron-builder reads for Linux) and a multi-size Windows assets/icon.ico (PNG-encoded
// entries, supported since Windows Vista). Uses Playwright's Chromium (SPIKEDOCK_CHROMIUM or
// /usr/bin/chromium). Run after editing the SVG: `node scripts/renderIcons.mjs`; commit the output.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const svg = readFileSync(join(root, 'assets/icon.svg'), 'utf8');
const SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];

const browser = await chromium.launch({ executablePath: process.env.SPIKEDOCK_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await browser.newPage({ deviceScaleFactor: 1 });
const pngs = new Map();
mkdirSync(join(root, 'assets/icons'), { recursive: true });
for (const n of SIZES) {
  await page.setViewportSize({ width: Math.max(n, 64), height: Math.max(n, 64) });
  await page.setContent(`<html><body style="margin:0;background:transparent"><img id="i" width="${n}" height="${n}" src="data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}"></body></html>`);
  await page.waitForFunction(() => document.getElementById('i').complete);
  const png = await page.locator('#i').screenshot({ omitBackground: true });
  pngs.set(n, png);
  writeFileSync(join(root, `assets/icons/${n}x${n}.png`), png);
}
await browser.close();
writeFileSync(join(root, 'assets/icon.png'), pngs.get(512));

// ICO: 6-byte header, 16-byte directory entry per image, then the PNG files.
const images = ICO_SIZES.map((n) => [n, pngs.get(n)]);
const header = Buffer.alloc(6 + 16 * images.length);
header.writeUInt16LE(0, 0);
header.writeUInt16LE(1, 2);
header.writeUInt16LE(images.length, 4);
let offset = header.length;
images.forEach(([n, png], i) => {
  const e = 6 + 16 * i;
  header.writeUInt8(n >= 256 ? 0 : n, e);
  header.writeUInt8(n >= 256 ? 0 : n, e + 1);
  header.writeUInt8(0, e + 2);
  header.writeUInt8(0, e + 3);
  header.writeUInt16LE(1, e + 4);
  header.writeUInt16LE(32, e + 6);
  header.writeUInt32LE(png.length, e + 8);
  header.writeUInt32LE(offset, e + 12);
  offset += png.length;
});
writeFileSync(join(root, 'assets/icon.ico'), Buffer.concat([header, ...images.map(([, png]) => png)]));
console.log(`icons: ${SIZES.join(', ')} px and icon.ico (${ICO_SIZES.join(', ')})`);
