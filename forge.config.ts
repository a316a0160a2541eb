import { MakerDeb } from '@electron-forge/maker-deb';
import { MakerZIP } from '@electron-forge/maker-zip';
import { VitePlugin } from '@electron-forge/plugin-vite';
import type { ForgeConfig } from '@electron-forge/shared-types';
import { VITE_TARGETS } from './electron/vite-targets';

/**
 * `npm run package` / `npm run make` (and `npm start` through
 * scripts/start.js). Here the Vite bundles build, then packaging stops at the
 * Electron zip download (GitHub is out of reach on these machines): expected.
 *
 * The app ships .vite/ (our bundles) plus koffi: a native module, kept out of
 * the bundles, copied as-is and unpacked from the asar so that dlopen can map
 * its .node file and so that actors (Electron's Node, ELECTRON_RUN_AS_NODE=1)
 * can load it next to the unpacked actor bundle.
 */
export const ASAR_UNPACK = '{**/node_modules/koffi/**,**/node_modules/@koromix/koffi-linux-*/**,**/.vite/build/actor-main.mjs}';

const SHIPPED = ['/.vite', '/node_modules/koffi', '/node_modules/@koromix/koffi-linux-'];

/** electron-packager's filter: true = leave out. Paths start with '/', relative to the project. */
export function leaveOut(file: string): boolean {
  if (file === '' || file === '/package.json' || file === '/node_modules' || file === '/node_modules/@koromix') return false;
  return !SHIPPED.some((prefix) => file.startsWith(prefix));
}

const config: ForgeConfig = {
  packagerConfig: {
    name: 'ipcscope',
    executableName: 'ipcscope',
    asar: { unpack: ASAR_UNPACK },
    ignore: leaveOut,
  },
  /* koffi is a Node-API prebuilt: ABI-stable across Node and Electron, nothing to rebuild */
  rebuildConfig: { onlyModules: [] },
  makers: [
    new MakerZIP({}, ['linux']),
    new MakerDeb({
      options: {
        name: 'ipcscope',
        productName: 'ipcscope',
        bin: 'ipcscope',
        categories: ['Development', 'System'],
        description: 'See Linux inter-process communication as it really happens.',
      },
    }),
  ],
  plugins: [new VitePlugin(VITE_TARGETS)],
};

export default config;
