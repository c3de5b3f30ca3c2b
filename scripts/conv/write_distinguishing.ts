/** npm run docs:distinguishing: rewrites docs/conv_distinguishing.md from the exact reference. */
import { writeFileSync } from 'node:fs';
import { distinguishingMarkdown } from '../../conformance/analysis/distinguishing.js';

writeFileSync(new URL('../../docs/conv_distinguishing.md', import.meta.url), distinguishingMarkdown());
console.log('wrote docs/conv_distinguishing.md');
