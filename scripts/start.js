#!/usr/bin/env node
// `npm start`: builds and launches the desktop app through `electron-forge start`.
// Electron 42+ downloads its binary on first launch (from GitHub), not at
// `npm install`. Where that download cannot happen, say so in one paragraph
// and point at `npm run web`, instead of letting a stack trace scroll past.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const FETCH_TIMEOUT_MS = 120_000;
export const EXIT_NO_ELECTRON = 1;

/** node_modules/electron, found without require('electron') (which would start a download). */
function electronDir() {
  return dirname(createRequire(join(root, 'package.json')).resolve('electron/package.json'));
}

/** Path of the Electron executable when it is on disk, else null. Mirrors node_modules/electron/index.js. */
export function electronBinary(dir, env = process.env) {
  const pathFile = join(dir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const binary = join(env.ELECTRON_OVERRIDE_DIST_PATH, relative || 'electron');
    return existsSync(binary) ? binary : null;
  }
  if (relative === null) return null;
  const binary = join(dir, 'dist', relative);
  return existsSync(binary) ? binary : null;
}

/** Runs Electron's own installer once, quietly. Returns null on success or a one-line reason. */
function fetchElectron(dir, env = process.env) {
  if (env.ELECTRON_SKIP_BINARY_DOWNLOAD) return 'ELECTRON_SKIP_BINARY_DOWNLOAD is set, so no download was tried';
  const result = spawnSync(process.execPath, [join(dir, 'install.js')], {
    env,
    encoding: 'utf8',
    timeout: FETCH_TIMEOUT_MS,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.error) return `the download did not finish (${result.error.message})`;
  if (result.status !== 0) {
    const firstLine = `${result.stderr}\n${result.stdout}`.split('\n').find((line) => line.trim() !== '');
    return `the download failed: ${firstLine ? firstLine.trim() : `installer exit code ${result.status}`}`;
  }
  return electronBinary(dir, env) === null ? 'the installer ran but left no binary' : null;
}

export function missingElectronMessage(reason) {
  return (
    'ipcscope: the desktop app cannot start because the Electron binary is not installed ' +
    `(node_modules/electron has no dist/ executable; ${reason}). ` +
    'Since Electron 42, npm install no longer fetches that binary: it is downloaded from GitHub on first launch, ' +
    'and this machine could not get it (offline, or GitHub blocked). ' +
    'Nothing is wrong with ipcscope itself: `npm run web` runs the very same app and engine in your browser. ' +
    'To use the desktop app, allow that download (or point ELECTRON_MIRROR / electron_config_cache at a local copy) and run `npm start` again.'
  );
}

function launchForge(args) {
  const forge = join(root, 'node_modules', '.bin', 'electron-forge');
  const child = spawn(forge, ['start', ...args], { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (signal ? constants.signals[signal] : 0)));
}

export function main(args = process.argv.slice(2), env = process.env) {
  const dir = electronDir();
  if (electronBinary(dir, env) === null) {
    const reason = fetchElectron(dir, env);
    if (reason !== null) {
      console.error(missingElectronMessage(reason));
      return EXIT_NO_ELECTRON;
    }
  }
  launchForge(args);
  return null;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const code = main();
  if (code !== null) process.exitCode = code;
}
