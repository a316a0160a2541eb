import type { VitePluginConfig } from '@electron-forge/plugin-vite/dist/Config';

/**
 * What the Vite build emits into .vite/, shared by forge.config.ts and the
 * electron-builder hook (bundle-build.ts): main, the preload, the engine's
 * utility process, the actor entry (run by Electron's Node with
 * ELECTRON_RUN_AS_NODE=1), and the renderer named "main_window".
 */
export const VITE_TARGETS: VitePluginConfig = {
  build: [
    { entry: 'electron/main.ts', config: 'electron/vite.main.config.ts', target: 'main' },
    { entry: 'electron/engine/engine-process.ts', config: 'electron/vite.main.config.ts', target: 'main' },
    { entry: 'native-bridge/actor/actor-main.ts', config: 'electron/vite.main.config.ts', target: 'main' },
    { entry: 'electron/window/preload.ts', config: 'electron/vite.preload.config.ts', target: 'preload' },
  ],
  renderer: [{ name: 'main_window', config: 'electron/vite.renderer.config.ts' }],
};
