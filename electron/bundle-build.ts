import { createRequire } from 'node:module';
import type { UserConfig } from 'vite';
import { build } from 'vite';
import type { VitePluginConfig } from '@electron-forge/plugin-vite/dist/Config';
import { VITE_TARGETS } from './vite-targets';

interface ConfigGenerator {
  getBuildConfigs(): Promise<UserConfig[]>;
  getRendererConfig(): Promise<UserConfig[]>;
}
type ConfigGeneratorClass = new (config: VitePluginConfig, projectDir: string, isProd: boolean) => ConfigGenerator;

/**
 * Builds .vite/ exactly as `electron-forge package` does (same targets, same
 * Forge defaults merged under our configs), for packagers other than Forge:
 * electron-builder calls this from its beforeBuild hook.
 */
export async function buildBundles(projectDir: string): Promise<void> {
  const require = createRequire(import.meta.url);
  /* Forge's own config generator: not in the package's exports map, so it is required by path */
  const { default: Generator } = require('@electron-forge/plugin-vite/dist/ViteConfig.js') as { default: ConfigGeneratorClass };
  const generator = new Generator(VITE_TARGETS, projectDir, true);
  for (const config of [...(await generator.getBuildConfigs()), ...(await generator.getRendererConfig())]) {
    await build({ configFile: false, logLevel: 'warn', ...config });
  }
}
