// A scan worker's entry point. Node 20 will not start a Worker on a .ts file
// (not even with --import tsx in execArgv), so this plain module registers tsx
// for the thread and loads the TypeScript. In a bundled build this file is
// absent and scan-pool.ts scans on the calling thread instead.
import { register } from 'tsx/esm/api';

register();
await import('./scan-worker.ts');
