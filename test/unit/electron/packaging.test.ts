/**
 * The installer configuration, checked without building installers (that needs Electron's
 * binary): electron-builder's own loader and schema accept electron-builder.yml, the folder and
 * .kwik associations are there for each OS, the files the packaged app loads from disk are
 * unpacked from the asar, and the icons exist at the sizes the installers use.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../helpers/phyData';

const require_ = createRequire(path.join(repoRoot, 'package.json'));

interface BuilderConfig {
  appId: string;
  extraMetadata: { main: string; desktopName: string };
  files: Array<{ filter: string[] }>;
  asarUnpack: string[];
  fileAssociations: Array<{ ext: string; mimeType: string }>;
  linux: { target: string[]; mimeTypes: string[]; icon: string; executableName: string };
  win: { target: string[]; icon: string };
  nsis: { include: string };
  mac: { target: string[]; icon: string; extendInfo: { CFBundleDocumentTypes: Array<{ LSItemContentTypes: string[] }> } };
  electronFuses?: Record<string, boolean>;
}

function pngSize(file: string): [number, number] {
  const b = readFileSync(file);
  expect(b.subarray(1, 4).toString('latin1')).toBe('PNG');
  return [b.readUInt32BE(16), b.readUInt32BE(20)];
}

describe('electron-builder.yml', () => {
  let config: BuilderConfig;

  beforeAll(async () => {
    const { getConfig, validateConfiguration } = require_('app-builder-lib/out/util/config/config.js');
    const { DebugLogger } = require_('builder-util');
    config = await getConfig(repoRoot, 'electron-builder.yml', null);
    // Throws "Invalid configuration object…" for anything electron-builder's schema refuses.
    await validateConfiguration(config, new DebugLogger(false));
  });

  it('names the app and starts the ESM main bundle that scripts/build.mjs writes', () => {
    expect(config.appId).toBe('org.spikedock.app');
    expect(config.extraMetadata.main).toBe('dist/electron/main.mjs');
    expect(JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).main).toBe('dist/electron/main.mjs');
    expect(readFileSync(path.join(repoRoot, 'scripts/build.mjs'), 'utf8')).toContain("'electron/main.mjs'");
    expect(config.files[0].filter).toEqual(expect.arrayContaining(['dist/**', 'package.json']));
  });

  it('builds AppImage + deb, nsis and dmg', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
  });

  it('associates folders, .kwik and .nwb files on every OS', () => {
    // Linux: electron-builder joins linux.mimeTypes and the associations' mime types into the .desktop MimeType.
    const mime = [...config.linux.mimeTypes, ...config.fileAssociations.map((a) => a.mimeType)].join(';') + ';';
    expect(mime).toBe('inode/directory;application/x-kwik;application/x-nwb;');
    expect(config.fileAssociations.map((a) => a.ext)).toEqual(['kwik', 'nwb']);
    // macOS: folders as a document type (the .kwik type comes from fileAssociations).
    expect(config.mac.extendInfo.CFBundleDocumentTypes[0].LSItemContentTypes).toEqual(['public.folder']);
    // Windows: the folder context menu, added and removed by the NSIS include.
    const nsh = readFileSync(path.join(repoRoot, config.nsis.include), 'utf8');
    expect(nsh).toMatch(/!macro customInstall[\s\S]*Directory\\shell\\spikedock" "" "Open with spikedock"[\s\S]*"%V"[\s\S]*!macroend/);
    expect(nsh).toMatch(/!macro customUnInstall[\s\S]*DeleteRegKey SHCTX "Software\\Classes\\Directory\\shell\\spikedock"/);
  });

  it('unpacks what is loaded from disk at run time: h5wasm, the worker bundle and its piscina', () => {
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['node_modules/h5wasm/**', 'node_modules/piscina/**', 'dist/native-workers/**']));
  });

  it("flips Electron's fuses: no RunAsNode, no NODE_OPTIONS or --inspect, encrypted cookies, app only from the asar", () => {
    // Option names are checked by validateConfiguration above (FuseOptionsV1 in app-builder-lib's scheme.json).
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('has the icons: PNGs 16…1024 for Linux and macOS, an .ico for Windows', () => {
    for (const n of [16, 24, 32, 48, 64, 128, 256, 512, 1024]) {
      expect(pngSize(path.join(repoRoot, config.linux.icon, `${n}x${n}.png`))).toEqual([n, n]);
    }
    expect(pngSize(path.join(repoRoot, config.mac.icon))).toEqual([1024, 1024]);
    const ico = readFileSync(path.join(repoRoot, config.win.icon));
    expect(ico.readUInt16LE(2)).toBe(1);
    const sizes = Array.from({ length: ico.readUInt16LE(4) }, (_, i) => ico.readUInt8(6 + 16 * i) || 256);
    expect(sizes).toEqual([16, 24, 32, 48, 64, 128, 256]);
    expect(existsSync(path.join(repoRoot, 'assets/icon.svg'))).toBe(true);
  });
});
