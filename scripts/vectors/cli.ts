/**
 * Golden vectors: `generate [--write]` and `check` (npm run vectors:check / vectors:write; the same
 * commands are `qconform vectors ...`). The work is in vector_commands.ts.
 */
import { Command } from 'commander';
import { addVectorCommands } from '../../conformance/vectors/vector_commands.js';

await addVectorCommands(new Command('vectors').description('qconform golden vectors')).parseAsync();
