import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../testing/fixtures';

// Packaging itself needs Electron's binaries for every platform and cannot run here; the configuration is checked
// against electron-builder's own JSON schema instead, plus the promises the app makes to the desktop.
const require = createRequire(import.meta.url);
const config = JSON.parse(readFileSync(join(projectRoot, 'electron-builder.json'), 'utf8'));
const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8'));

describe('electron-builder configuration', () => {
  it('validates against electron-builder’s schema', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    // `$schema` is for editors; electron-builder's own schema does not list it.
    const configuration = Object.fromEntries(Object.entries(config).filter(([key]) => key !== '$schema'));
    const validate = ajv.compile(schema);
    expect(validate(configuration), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it('associates every image, clip and project type, and opens folders on Linux', () => {
    const extensions = config.fileAssociations.flatMap((association: { ext: string | string[] }) => [association.ext].flat());
    expect(extensions.sort()).toEqual(['jpeg', 'jpg', 'mattestudio', 'mov', 'mp4', 'png', 'tif', 'tiff', 'webm', 'webp']);
    expect(config.linux.mimeTypes).toContain('inode/directory');
    expect(config.linux.desktop.entry.MimeType.split(';')).toEqual(expect.arrayContaining(['inode/directory', 'image/png', 'video/mp4', 'application/x-matte-studio']));
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
  });

  it('keeps native modules and models outside the asar and flips the security fuses after packing', () => {
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['node_modules/onnxruntime-node/**', 'node_modules/sharp/**']));
    expect(config.extraResources[0]).toMatchObject({ from: 'resources/models', to: 'models' });
    const afterPack = require(join(projectRoot, config.afterPack));
    const { FuseV1Options } = require('@electron/fuses');
    expect(afterPack.fuses[FuseV1Options.RunAsNode]).toBe(false);
    expect(afterPack.fuses[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
    expect(afterPack.fuses[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
    expect(afterPack.executablePath({ appOutDir: '/out', electronPlatformName: 'win32', packager: { appInfo: { productFilename: 'Matte Studio' } } })).toBe('/out/Matte Studio.exe');
  });
});
