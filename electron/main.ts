/**
 * Entry of Electron's main process (package.json "main": .vite/build/main.js).
 * Everything it does lives in app-shell.ts so that tests can drive it.
 */
import { app } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ObserveScope } from '../native-bridge/model/commands';
import { startShell } from './app-shell';
import { OBSERVE_USAGE, observeScopeFromArgv } from './observe-args';

/* defined by @electron-forge/plugin-vite for the renderer named "main_window" */
declare const MAIN_WINDOW_VITE_DEV_SERVER_URL: string | undefined;
declare const MAIN_WINDOW_VITE_NAME: string | undefined;

const buildDir = dirname(fileURLToPath(import.meta.url));
const devServerUrl = typeof MAIN_WINDOW_VITE_DEV_SERVER_URL === 'string' ? MAIN_WINDOW_VITE_DEV_SERVER_URL : undefined;
const rendererName = typeof MAIN_WINDOW_VITE_NAME === 'string' ? MAIN_WINDOW_VITE_NAME : 'main_window';

/* Ctrl+C in the terminal of `npm start`, or a service manager: quit through before-quit, so the session is disposed */
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => app.quit());

/* --pid/--tree/--all: a mistake ends the app before any window, as `ipcscope web` does */
let observe: ObserveScope | undefined;
let usable = true;
try {
  observe = observeScopeFromArgv(process.argv.slice(1)) ?? undefined;
} catch (error) {
  console.error(`ipcscope: ${(error as Error).message}\n${OBSERVE_USAGE}`);
  usable = false;
  app.exit(2);
}
if (usable) startShell({ buildDir, rendererDir: join(buildDir, '..', 'renderer', rendererName), devServerUrl, observe }).catch((error: unknown) => {
  console.error('ipcscope: could not start', error);
  app.exit(1);
});
