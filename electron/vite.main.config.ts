import { defineConfig } from 'vite';
import type { ConfigEnv } from 'vite';

/**
 * Node-side bundles built by @electron-forge/plugin-vite (merged over its
 * defaults): main, engine-process and the actor. ES modules, because the
 * package is "type": "module"; the actor is `.mjs` because it is unpacked
 * from the asar, where no package.json says so (electron/engine/actor-path.ts).
 * koffi stays external: a native module, loaded from node_modules, unpacked.
 */
interface ForgeEnv extends ConfigEnv {
  forgeConfigSelf: { entry: string };
}

const NATIVE_EXTERNALS = ['koffi'];

export default defineConfig((env) => {
  const entry = (env as ForgeEnv).forgeConfigSelf.entry;
  const extension = entry.endsWith('actor-main.ts') ? 'mjs' : 'js';
  return {
    build: {
      target: 'node22',
      sourcemap: true,
      lib: { entry, formats: ['es'], fileName: () => `[name].${extension}` },
      rollupOptions: { external: NATIVE_EXTERNALS },
    },
    resolve: { conditions: ['node'] },
  };
});
