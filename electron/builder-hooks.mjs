// electron-builder hooks (electron-builder.yml). beforeBuild builds the Vite
// bundles into .vite/ the way Forge does, then skips electron-builder's
// dependency install/rebuild: koffi is a Node-API prebuilt (ABI-stable), there
// is nothing to rebuild, and a rebuild would try to compile it from source.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

const projectDir = join(dirname(fileURLToPath(import.meta.url)), '..');

export async function beforeBuild() {
  const unregister = register();
  try {
    const { buildBundles } = await import('./bundle-build.ts');
    await buildBundles(projectDir);
  } finally {
    await unregister();
  }
  return false;
}
