/** The qconform package's own version, for --version and run reports. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export const QCONFORM_VERSION = (JSON.parse(readFileSync(join(here, '../../package.json'), 'utf8')) as { version: string }).version;
