#!/usr/bin/env node
// Entry point of the `qconform` command: runs the TypeScript CLI through tsx (no build step).
import { register } from 'tsx/esm/api';
register();
await import('../conformance/cli/main.ts');
