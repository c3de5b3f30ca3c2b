/**
 * The qconform command line. Subcommands:
 *   eval      serve the eval protocol on stdin/stdout with the reference or the fast impl
 *   vectors   check the golden vectors (see also npm run vectors:check / vectors:write)
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, Option } from 'commander';
import { impl } from '../impl/index.js';
import { reference } from '../reference/index.js';
import { serveProtocol } from './eval_stream.js';

const here = dirname(fileURLToPath(import.meta.url));
const pkg = JSON.parse(readFileSync(join(here, '../package.json'), 'utf8')) as { version: string };

const program = new Command('qconform')
  .description('bit-exact reference and conformance suite for int8 quantization arithmetic')
  .version(pkg.version);

program
  .command('eval')
  .description('read one JSON request per line on stdin, write one JSON result per line (docs/protocol.md)')
  .addOption(new Option('--backend <name>', 'which implementation answers').choices(['reference', 'impl']).default('reference'))
  .action(async (o: { backend: 'reference' | 'impl' }) => {
    const ops = o.backend === 'reference' ? reference : impl;
    await serveProtocol({ name: `qconform-${o.backend}`, version: pkg.version, ops }, process.stdin, process.stdout);
  });

await program.parseAsync();
