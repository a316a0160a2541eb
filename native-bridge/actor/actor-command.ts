/**
 * The one place that says how an actor process is started. The Electron build
 * will point this at a bundled actor.js run with ELECTRON_RUN_AS_NODE=1; under
 * plain Node (tests, CLI, web mode) it runs actor-main.ts through tsx.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ActorCommand } from './actor-protocol';

const here = dirname(fileURLToPath(import.meta.url));

export const actorMainPath = resolve(here, 'actor-main.ts');
/** Repository root: `--import tsx` is resolved from the working directory. */
const projectRoot = resolve(here, '..', '..');

export function actorCommand(): ActorCommand {
  return { file: process.execPath, args: ['--import', 'tsx', actorMainPath], env: {}, cwd: projectRoot };
}
