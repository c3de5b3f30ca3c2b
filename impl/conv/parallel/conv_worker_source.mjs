// Entry of an impl conv worker thread when impl runs from its TypeScript sources (tests, tsx): lets the worker load
// conv_worker.ts through tsx, then starts it. Plain JavaScript because a worker starts without the parent's loaders;
// the compiled package (dist/) starts conv_worker.js directly (worker_thread.ts).
import { register } from 'tsx/esm/api';

register();
await import('./conv_worker.ts');
