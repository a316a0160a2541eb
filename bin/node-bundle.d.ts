/** Types of node-bundle.js (plain JavaScript, see there). */
export declare const NODE_BUNDLE_OPTIONS: Readonly<{
  bundle: true;
  platform: 'node';
  format: 'esm';
  target: 'node20';
  packages: 'external';
  logLevel: 'silent';
}>;

/** The newest modification time (ms) of `path` or of anything below it. */
export declare function newestMtime(path: string): number;
