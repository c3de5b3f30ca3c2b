/** The package's main entry (`import ... from 'qconform'`): the reference and impl ops, the wire helpers, the Backend type and the runner. */
export { reference } from '../../reference/index.js';
export { impl } from '../../impl/index.js';
export * from './wire.js';
export * from './backend.js';
export * from './runner.js';
