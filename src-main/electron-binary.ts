// Finds the Electron executable the way node_modules/electron/index.js does, without requiring
// that module: from plain Node, requiring it starts a download of the binary when it is missing.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The Electron executable under `packageDir` (node_modules/electron), or under
 * ELECTRON_OVERRIDE_DIST_PATH; undefined when the binary is not there.
 */
export function findElectronExecutable(
  packageDir: string,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  const pathFile = join(packageDir, 'path.txt');
  const platformPath = existsSync(pathFile)
    ? readFileSync(pathFile, 'utf8').trim()
    : platform === 'darwin'
      ? 'Electron.app/Contents/MacOS/Electron'
      : platform === 'win32'
        ? 'electron.exe'
        : 'electron';
  const distDir = env['ELECTRON_OVERRIDE_DIST_PATH'] || join(packageDir, 'dist');
  const executable = join(distDir, platformPath);
  return existsSync(executable) ? executable : undefined;
}
