/**
 * Actors run as plain `node actor.mjs`: one JavaScript file bundled from
 * actor-main.ts with esbuild into node_modules/.ipcscope (as bin/cli-bundle.js
 * does for the CLI), rebuilt when a source under native-bridge/ is newer.
 * Through tsx every actor compiled its modules at start and left tsx's
 * esbuild helper behind as a zombie child of the actor. The build runs once
 * in the engine (buildSync: no esbuild service stays behind); any failure
 * (no esbuild, a read-only install) leaves the caller on tsx.
 */
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { NODE_BUNDLE_OPTIONS, newestMtime } from '../../bin/node-bundle.js';
import { BUNDLE_DIR, SOURCE_DIR } from '../paths';

/* found from the project root (paths.ts): the engine calling this may itself run from the CLI bundle */
const sources = SOURCE_DIR;
const entry = join(SOURCE_DIR, 'actor', 'actor-main.ts');
export const ACTOR_BUNDLE_PATH = join(BUNDLE_DIR, 'actor.mjs');

function isFresh(): boolean {
  let built: number;
  try {
    built = statSync(ACTOR_BUNDLE_PATH).mtimeMs;
  } catch {
    return false;
  }
  return newestMtime(sources) <= built;
}

interface EsbuildModule {
  buildSync(options: Record<string, unknown>): unknown;
}

/** The bundled actor entry, built or rebuilt first when needed; null when it cannot be had. */
export async function freshActorBundle(): Promise<string | null> {
  /* a packaged app carries no sources: nothing to build from */
  if (!existsSync(entry)) return null;
  try {
    if (isFresh()) return ACTOR_BUNDLE_PATH;
    const esbuild = (await import('esbuild')) as EsbuildModule;
    mkdirSync(dirname(ACTOR_BUNDLE_PATH), { recursive: true });
    const partial = `${ACTOR_BUNDLE_PATH}.${process.pid}.tmp`;
    esbuild.buildSync({
      entryPoints: [entry],
      outfile: partial,
      ...NODE_BUNDLE_OPTIONS,
    });
    /* atomic: an engine starting actors meanwhile sees the old bundle or the new one */
    renameSync(partial, ACTOR_BUNDLE_PATH);
    return ACTOR_BUNDLE_PATH;
  } catch {
    return null;
  }
}
