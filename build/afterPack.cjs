// electron-builder afterPack hook: flips Electron's fuses on the packaged binary (DESIGN §10), so the shipped app
// cannot be turned into a general Node runtime or load code from outside its asar.
const path = require('node:path');
const { flipFuses, FuseVersion, FuseV1Options } = require('@electron/fuses');

/** The Electron executable inside the packed app, per platform. */
function executablePath(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  const name = packager.appInfo.productFilename;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') return path.join(appOutDir, `${name}.app`);
  if (electronPlatformName === 'win32') return path.join(appOutDir, `${name}.exe`);
  return path.join(appOutDir, packager.executableName ?? name);
}

/** The fuse settings (every V1 fuse set explicitly), exported so a test can pin them without packaging. */
const fuses = {
  version: FuseVersion.V1,
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
};

module.exports = async function afterPack(context) {
  await flipFuses(executablePath(context), { ...fuses, resetAdHocDarwinSignature: context.electronPlatformName === 'darwin' });
};
module.exports.fuses = fuses;
module.exports.executablePath = executablePath;
