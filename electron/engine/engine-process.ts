/**
 * Entry of the engine's Electron utility process: the engine runs here, off
 * the UI thread, and talks to main over process.parentPort.
 */
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { markInheritedCloexec } from '../../native-bridge/libc/fd-hygiene';
import { createSession } from '../../native-bridge/session/session';
import { bundledActorPath } from './actor-path';
import { runEngineHost } from './engine-host';
import type { ParentPortLike } from './engine-host';

/* first thing: a descriptor inherited from whoever started Electron would show up in every actor as a false holder */
markInheritedCloexec();

/*
 * Actors run with Electron's own Node (ELECTRON_RUN_AS_NODE=1) on the bundled
 * actor entry built beside this file; actorCommand() reads these two. Run from
 * sources (tsx, tests) there is no bundle, and actors start through tsx.
 */
const actorBundle = bundledActorPath(dirname(fileURLToPath(import.meta.url)));
if (process.env.IPCSCOPE_ACTOR_JS === undefined && existsSync(actorBundle)) {
  process.env.IPCSCOPE_ACTOR_JS = actorBundle;
  process.env.IPCSCOPE_ACTOR_NODE ??= process.execPath;
}

const port = (process as NodeJS.Process & { parentPort?: ParentPortLike }).parentPort;
if (port === undefined) {
  console.error('engine-process: no parentPort; this file runs only as an Electron utility process');
  process.exit(2);
}

const session = await createSession();
/* exit a moment after 'disposed' is posted: process.exit() would drop a message still queued on the port */
const host = runEngineHost(port, session, (code) => setTimeout(() => process.exit(code), 50));

/* utilityProcess.kill() sends SIGTERM: dispose first, so no actor outlives the engine */
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
  process.once(signal, () => void host.shutdown(0));
}
process.on('uncaughtException', (error) => {
  console.error('engine-process:', error);
  void host.shutdown(1);
});
