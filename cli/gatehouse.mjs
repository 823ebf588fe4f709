#!/usr/bin/env node
// The `gatehouse` command (package.json "bin"): runs the TypeScript CLI through tsx, so a checkout
// with `npm ci` needs no build step. `npm link` puts it on the PATH.
import { register } from 'tsx/esm/api';

register();
await import('./gatehouse/main.ts');
