#!/usr/bin/env node
// Entry point for `npx ipcscope`: runs the TypeScript CLI through tsx, so the
// command works right after `npm install` / `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
await import('../native-bridge/cli/main.ts');
