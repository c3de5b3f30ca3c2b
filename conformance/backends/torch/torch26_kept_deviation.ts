/**
 * Which differences `npm run vectors:check:torch26` accepts between torch 2.6's fresh answer and vectors/torch-2.6 (and
 * which cases `npm run vectors:write:torch26` keeps as committed instead of rewriting them: keepKnownDeviations):
 * only an onednn conv that torch26-onednn does not claim (torch26OnednnConvRefusal: oneDNN 3.7's brgemm conv reads
 * memory it never wrote there, onednn37_unwritten_reads.ts), whose committed outputs are torch-onednn@2's (impl's
 * answer, judged exactly). Such a conv's torch output depends on the host and its memory, not on the inputs: the
 * committed set was written on an AMD EPYC (Zen 5 class, "Turin-like") where all 1,200 onednn convs came out as
 * torch-onednn@2; on an AMD EPYC of the Zen 4 class (AVX-512 VNNI, no AVX-VNNI, no AMX) quantized_conv2d-01851 and
 * -02185 come out otherwise in every run, and on a Sapphire Rapids-class Xeon five do. Any other difference fails the check,
 * and so does an answer of another kind on these convs (an error, another output, dtype or shape: regeneration_diff.ts
 * calls this rule only for value differences). What the check cannot see on them is a change of values alone: torch's
 * values there are not evidence of anything, and the committed ones stay pinned by tests/vectors/torch26_vectors.test.ts
 * (reference and impl against every case).
 */
import { evaluateRequest } from '../../protocol/dispatch.js';
import { judgeAnswer } from '../../runner/verdict.js';
import type { KeptDeviation } from '../../vectors/regeneration_diff.js';
import { impl } from '../../../impl/index.js';
import { torch26OnednnConvRefusal } from './torch26_builtins.js';

/** KeptDeviation for vectors/torch-2.6 and vectors/torch-2.6-linear (regeneration_diff.ts). */
export const torch26KeptDeviation: KeptDeviation = (committed) => {
  const why = torch26OnednnConvRefusal(committed);
  if (why === null) return null;
  const { expect: _e, ...request } = committed;
  if (!judgeAnswer(committed, evaluateRequest(impl, request), { strictContract: true }).pass) return null;
  return `torch-onednn@2 (impl) gives the committed outputs; torch26-onednn does not claim this conv: ${why}`;
};
