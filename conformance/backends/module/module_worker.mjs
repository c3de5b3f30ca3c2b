// Entry of the worker thread that hosts a module backend, from the sources: lets the worker load module_host.ts through tsx,
// then starts module_host.ts. Plain JavaScript because a worker starts without the parent's loaders.
import { register } from 'tsx/esm/api';

register();
await import('./module_host.ts');
