#!/usr/bin/env node
// Entry point of the `qconform` command. It runs the compiled JavaScript of dist/ (`npm run build`; an installed
// package ships it) when dist/ is current (compiled_dist.mjs), and otherwise the sources through tsx, so a checkout
// never runs stale code.
import { fileURLToPath } from 'node:url';
import { compiledDistUpToDate } from './compiled_dist.mjs';

if (compiledDistUpToDate(fileURLToPath(new URL('..', import.meta.url)))) {
  await import('../dist/conformance/cli/main.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../conformance/cli/main.ts');
}
