/**
 * The one place that says how an actor process is started.
 * - Under plain Node (tests, CLI, web mode): node actor.mjs, bundled from
 *   the sources (actor-bundle.ts); node --import tsx actor-main.ts when the
 *   bundle cannot be built.
 * - In the Electron build, electron/engine/engine-process.ts sets IPCSCOPE_ACTOR_JS
 *   (the bundled actor-main.mjs) and IPCSCOPE_ACTOR_NODE (Electron's binary),
 *   which then runs as plain Node with ELECTRON_RUN_AS_NODE=1.
 * A parent actor re-uses the same command (passed in its environment) when it
 * posix_spawns a child actor.
 */
import { dirname, join } from 'node:path';
import { PROJECT_ROOT, SOURCE_DIR } from '../paths';
import { freshActorBundle } from './actor-bundle';
import type { ActorCommand } from './actor-protocol';

/* from the sources, even when the caller runs from the CLI bundle (paths.ts) */
export const actorMainPath = join(SOURCE_DIR, 'actor', 'actor-main.ts');

export function actorCommand(env: NodeJS.ProcessEnv = process.env): ActorCommand {
  const bundled = env.IPCSCOPE_ACTOR_JS;
  if (bundled) {
    return {
      file: env.IPCSCOPE_ACTOR_NODE ?? process.execPath,
      args: [bundled],
      env: { ELECTRON_RUN_AS_NODE: '1' },
      cwd: dirname(bundled),
    };
  }
  return { file: process.execPath, args: ['--import', 'tsx', actorMainPath], env: {}, cwd: PROJECT_ROOT /* `--import tsx` is resolved from the working directory */ };
}

/** actorCommand(), but on the bundled actor entry when one can be built (ActorTeam.start uses this). */
export async function resolveActorCommand(env: NodeJS.ProcessEnv = process.env): Promise<ActorCommand> {
  if (env.IPCSCOPE_ACTOR_JS) return actorCommand(env);
  const bundle = await freshActorBundle();
  if (bundle === null) return actorCommand(env);
  return { file: process.execPath, args: [bundle], env: {}, cwd: PROJECT_ROOT };
}
