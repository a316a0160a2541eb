#!/usr/bin/env node
// `npm start`: builds and launches the desktop app through `electron-forge start`.
// Electron 42+ downloads its binary on first launch (from GitHub), not at
// `npm install`. Where that download cannot happen, say why in one line and
// start the browser mode instead (`ipcscope web`, the same app and engine),
// opening its URL with xdg-open where there is a display: `npm install &&
// npm start` always ends in a working ipcscope.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const FETCH_TIMEOUT_MS = 120_000;
/** The line on stdout that carries the browser mode's address (web-command.ts prints it). */
const URL_PATTERN = /http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+/;

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

/** One line: why the desktop app cannot start, and what happens instead. */
export function missingElectronMessage(reason) {
  return `ipcscope: the desktop app cannot start: no Electron binary (${reason}); starting the browser mode instead.`;
}

/** xdg-open where there is a display to open on; any failure is ignored (the URL is printed anyway). */
function openInBrowser(url, env) {
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return;
  const opener = spawn('xdg-open', [url], { env, detached: true, stdio: 'ignore' });
  opener.on('error', () => {
    /* no xdg-open here: the printed URL is enough */
  });
  opener.unref();
}

/**
 * `node bin/ipcscope.js web ARGS` with its output passed through; once it has
 * printed its URL, that URL is opened. Ctrl+C reaches the server from the
 * terminal as well; a signal sent to this process alone is passed on, and
 * this process ends with the server's exit code.
 */
function launchWeb(args, env) {
  const child = spawn(process.execPath, [join(root, 'bin', 'ipcscope.js'), 'web', ...args], {
    cwd: root,
    env,
    stdio: ['inherit', 'pipe', 'inherit'],
  });
  let seen = '';
  let opened = false;
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    process.stdout.write(chunk);
    if (opened) return;
    seen += chunk;
    const url = URL_PATTERN.exec(seen);
    if (url) {
      opened = true;
      seen = '';
      openInBrowser(url[0], env);
    }
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (signal ? constants.signals[signal] : 0)));
}

/**
 * `electron-forge start` reads its own options up to "--" and hands the rest
 * to the app: `npm start -- --pid 42 --tree` reaches Electron's main as
 * `--pid 42 --tree` (electron/observe-args.ts), not forge (whose -p is --app-path).
 */
export function forgeArgs(args) {
  return args.length > 0 ? ['start', '--', ...args] : ['start'];
}

function launchForge(args) {
  const forge = join(root, 'node_modules', '.bin', 'electron-forge');
  const child = spawn(forge, forgeArgs(args), { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (signal ? constants.signals[signal] : 0)));
}

export function main(args = process.argv.slice(2), env = process.env) {
  const dir = electronDir();
  if (electronBinary(dir, env) === null) {
    const reason = fetchElectron(dir, env);
    if (reason !== null) {
      console.error(missingElectronMessage(reason));
      launchWeb(args, env);
      return;
    }
  }
  launchForge(args);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
