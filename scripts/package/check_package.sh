#!/usr/bin/env bash
# The package as a user gets it: builds dist/, packs the tarball, installs it into a fresh project outside the
# checkout (no install scripts: the fresh project has no allowScripts, so .npmrc ignore-scripts), and there runs `npx qconform run --backend impl`,
# a TypeScript module backend written against the package's typed API, and tsc over that API.
# Usage: bash scripts/package/check_package.sh   (.ci/run runs it; needs the npm registry for the dependencies)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="$(mktemp -d /tmp/qconform-package.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
cd "$ROOT"
npm run build >/dev/null
TARBALL="$WORK/$(npm pack --silent --ignore-scripts --pack-destination "$WORK")"   # dist/ is built just above; prepare would print into $(...)
echo "packed: $(basename "$TARBALL") ($(du -k "$TARBALL" | cut -f1) kB)"

mkdir "$WORK/project"
cd "$WORK/project"
printf '{ "name": "uses-qconform", "private": true, "type": "module" }\n' > package.json
printf 'ignore-scripts=true\n' > .npmrc
npm install --no-audit --no-fund "$TARBALL" >/dev/null
test -f node_modules/qconform/dist/conformance/cli/main.js
test ! -e node_modules/qconform/conformance/cli/main.ts   # the package runs its compiled JavaScript

# the built-in fast implementation against the packaged golden vectors
npx qconform run --backend impl

# a TypeScript module backend outside any qconform checkout, on the package's typed API
cat > my_backend.ts <<'TS'
import { type Backend, evaluateRequest } from 'qconform/backend';
import { impl } from 'qconform/impl';

const backend: Backend = {
  name: 'my-kernels',
  version: '1.0.0',
  capabilities: { ops: ['quantize_per_tensor@1'], dtypes: ['quint8', 'qint8'] },
  run: (request) => evaluateRequest(impl, request),
};
export default backend;
TS
npx qconform run --backend ./my_backend.ts --op quantize_per_tensor

# the typed API: every entry point imports and type-checks
cat > api_check.ts <<'TS'
import { reference, impl, runCommand, selectCases, type CaseResult } from 'qconform';
import { encodeTensor, decodeTensor, type WireRequest } from 'qconform/wire';
import { type QuantOps, type IntTensor, byteTensor } from 'qconform/backend';
import { runSuite } from 'qconform/runner';

const ops: QuantOps = reference;
const fast: QuantOps = impl;
const request: WireRequest = { id: 'x', op: 'quantize_per_tensor@1' };
const results: CaseResult[] = [];
const bytes: IntTensor = byteTensor('qint8', [2], new Int8Array([-1, 1]));
export { ops, fast, request, results, bytes, runCommand, selectCases, runSuite, encodeTensor, decodeTensor };
TS
printf '{ "compilerOptions": { "module": "NodeNext", "moduleResolution": "NodeNext", "target": "ES2022", "strict": true, "noEmit": true, "skipLibCheck": true, "types": [] }, "files": ["api_check.ts", "my_backend.ts"] }\n' > tsconfig.json
node "$ROOT/node_modules/typescript/bin/tsc" -p .
echo "package check: OK"
