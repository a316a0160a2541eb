import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { ConfigEnv, UserConfig } from 'vite';
import { describe, expect, it } from 'vitest';
import { ASAR_UNPACK, leaveOut } from '../forge.config';
import { ACTOR_BUNDLE, bundledActorPath } from './engine/actor-path';
import { VITE_TARGETS } from './vite-targets';
import mainConfig from './vite.main.config';

const require = createRequire(import.meta.url);
/* the matcher @electron/asar applies to `asar.unpack` (minimatch, matchBase) */
const minimatch = require('minimatch') as (path: string, pattern: string, options?: { matchBase?: boolean }) => boolean;
const jsYaml = require('js-yaml') as { load(text: string): unknown };

const STAGING = '/tmp/electron-packager/linux-x64/ipcscope-linux-x64/resources/app';

describe('what the packaged app ships', () => {
  it('ships .vite and koffi with its Linux prebuilt, and leaves sources and bundled libraries out', () => {
    for (const kept of ['', '/package.json', '/.vite', '/.vite/build/main.js', '/node_modules', '/node_modules/koffi/index.js', '/node_modules/@koromix', '/node_modules/@koromix/koffi-linux-x64/linux_x64/koffi.node']) {
      expect(leaveOut(kept), kept).toBe(false);
    }
    for (const dropped of ['/native-bridge', '/electron/main.ts', '/renderer', '/node_modules/react', '/node_modules/electron', '/node_modules/@koromix/koffi-win32-x64', '/forge.config.ts', '/.git']) {
      expect(leaveOut(dropped), dropped).toBe(true);
    }
  });

  it('unpacks koffi, its prebuilt and the actor bundle from the asar, and nothing else', () => {
    for (const unpacked of ['node_modules/koffi/index.js', 'node_modules/@koromix/koffi-linux-x64/linux_x64/koffi.node', `.vite/build/${ACTOR_BUNDLE}`]) {
      expect(minimatch(`${STAGING}/${unpacked}`, ASAR_UNPACK, { matchBase: true }), unpacked).toBe(true);
    }
    for (const packed of ['.vite/build/main.js', '.vite/build/engine-process.js', '.vite/renderer/main_window/index.html', 'package.json']) {
      expect(minimatch(`${STAGING}/${packed}`, ASAR_UNPACK, { matchBase: true }), packed).toBe(false);
    }
  });

  it('electron-builder.yml unpacks the same paths as forge.config.ts', () => {
    const builder = jsYaml.load(readFileSync(resolve(import.meta.dirname, '..', 'electron-builder.yml'), 'utf8')) as { asarUnpack: string[]; beforeBuild: string };
    expect(`{${builder.asarUnpack.join(',')}}`).toBe(ASAR_UNPACK);
    expect(builder.beforeBuild).toBe('./electron/builder-hooks.mjs');
  });

  it('builds main, the preload, the engine process and the actor; the unpacked actor is .mjs', async () => {
    expect(VITE_TARGETS.build.map((target) => target.entry)).toEqual([
      'electron/main.ts',
      'electron/engine/engine-process.ts',
      'native-bridge/actor/actor-main.ts',
      'electron/window/preload.ts',
    ]);
    const configFor = async (entry: string): Promise<UserConfig> => {
      const env = { command: 'build', mode: 'production', forgeConfigSelf: { entry } } as ConfigEnv;
      return await (mainConfig as (env: ConfigEnv) => UserConfig | Promise<UserConfig>)(env);
    };
    const actor = await configFor('native-bridge/actor/actor-main.ts');
    const lib = actor.build?.lib;
    expect(lib && typeof lib.fileName === 'function' ? lib.fileName('es', 'actor-main') : null).toBe(`[name].mjs`);
    expect(lib && lib.formats).toEqual(['es']);
    expect(actor.build?.rollupOptions?.external).toContain('koffi');
    const main = await configFor('electron/main.ts');
    const mainLib = main.build?.lib;
    expect(mainLib && typeof mainLib.fileName === 'function' ? mainLib.fileName('es', 'main') : null).toBe('[name].js');
  });

  it('points actors at the unpacked actor bundle in a packaged app, and beside main in development', () => {
    expect(bundledActorPath('/opt/ipcscope/resources/app.asar/.vite/build')).toBe(`/opt/ipcscope/resources/app.asar.unpacked/.vite/build/${ACTOR_BUNDLE}`);
    expect(bundledActorPath('/work/main/.vite/build')).toBe(`/work/main/.vite/build/${ACTOR_BUNDLE}`);
  });
});
