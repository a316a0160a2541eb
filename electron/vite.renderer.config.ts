import { loadConfigFromFile, mergeConfig, defineConfig } from 'vite';
import type { ConfigEnv, UserConfig } from 'vite';
import { resolve } from 'node:path';

/**
 * The renderer as its owner configures it (renderer/vite.config.ts), built
 * where @electron-forge/plugin-vite expects it: .vite/renderer/<name>, which
 * main serves on app://ipcscope/. Loaded by path: the shell imports no
 * renderer code.
 */
interface ForgeEnv extends ConfigEnv {
  root: string;
  forgeConfigSelf: { name?: string };
}

export default defineConfig(async (env) => {
  const forge = env as ForgeEnv;
  const projectRoot = forge.root ?? process.cwd();
  const loaded = await loadConfigFromFile(env, resolve(projectRoot, 'renderer', 'vite.config.ts'));
  const own: UserConfig = loaded?.config ?? { root: resolve(projectRoot, 'renderer') };
  return mergeConfig(own, {
    base: './',
    build: { outDir: resolve(projectRoot, '.vite', 'renderer', forge.forgeConfigSelf.name ?? 'main_window'), emptyOutDir: true },
  });
});
