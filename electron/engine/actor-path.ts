import { join, sep } from 'node:path';

/**
 * Where the bundled actor entry is, for a build directory (`.vite/build`).
 * Actors run with Electron's own Node (ELECTRON_RUN_AS_NODE=1) on this file.
 * In a packaged app it is unpacked from the asar (forge.config.ts,
 * electron-builder.yml) so that a plain Node loader can read it, and it finds
 * koffi, unpacked too, in app.asar.unpacked/node_modules. It is `.mjs` because
 * no package.json ("type": "module") sits beside the unpacked copy.
 */
export const ACTOR_BUNDLE = 'actor-main.mjs';

export function bundledActorPath(buildDir: string): string {
  const asar = `${sep}app.asar${sep}`;
  const unpacked = buildDir.includes(asar) ? buildDir.replace(asar, `${sep}app.asar.unpacked${sep}`) : buildDir;
  return join(unpacked, ACTOR_BUNDLE);
}
