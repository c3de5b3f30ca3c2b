/**
 * ONNX Runtime's telemetry stays off when qconform loads it (conformance/backends/onnxruntime/import_ort.ts): a session
 * created through importOrt writes nothing under the cache directory, where the same session through a plain import
 * of onnxruntime-node 1.30 creates ORT's event store (Microsoft/DeveloperTools/.onnxruntime/onnxruntime.db, the
 * check that this build records at all), and a user's own ORT_DISABLE_TELEMETRY=0 is left as they set it.
 * Each case runs a child process with its own XDG_CACHE_HOME and without the variables by which ORT itself turns
 * its telemetry off in a CI job (CI_MARKERS, below): without that, under a CI that sets CI=true, ORT records
 * nothing either way and the first case fails (measured: the first CI run of this test).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const MODEL = resolve('examples/quantized_cnn/model.onnx');
const IMPORT_ORT = resolve('conformance/backends/onnxruntime/import_ort.ts');
/**
 * Variables whose presence makes ORT 1.30 skip its telemetry, as a CI job: the names sit together in
 * libonnxruntime.so's strings; measured here: CI=true, GITHUB_ACTIONS, TF_BUILD, GITLAB_CI and CODEBUILD_BUILD_ID
 * each stop the recording; CI=false, CI=0 and an empty CI do not.
 */
const CI_MARKERS = ['CI', 'TF_BUILD', 'GITHUB_ACTIONS', 'GITLAB_CI', 'CIRCLECI', 'TRAVIS', 'JENKINS_URL', 'CODEBUILD_BUILD_ID', 'BUILDKITE', 'TEAMCITY_VERSION', 'APPVEYOR', 'BITBUCKET_BUILD_NUMBER'];
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** The files a child leaves under a fresh XDG_CACHE_HOME after creating one session on MODEL with `load`. */
function cacheFilesAfterSession(load: string, env: Record<string, string>): string[] {
  const cache = mkdtempSync(join(tmpdir(), 'qconform-ort-telemetry-'));
  dirs.push(cache);
  const script = `const ort = await ${load}; await ort.InferenceSession.create(${JSON.stringify(MODEL)}); console.log('session');`;
  const childEnv: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: cache, ...env };
  for (const name of CI_MARKERS) delete childEnv[name];
  if (!('ORT_DISABLE_TELEMETRY' in env)) delete childEnv.ORT_DISABLE_TELEMETRY;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env: childEnv, encoding: 'utf8' });
  expect(r.stdout, r.stderr).toContain('session');
  return readdirSync(cache, { recursive: true }).map(String);
}

const viaQconform = `import(${JSON.stringify(IMPORT_ORT)}).then((m) => m.importOrt())`;
const plain = `import('onnxruntime-node')`;

describe("ORT's telemetry", () => {
  it('a plain import of onnxruntime-node records: its event store appears (the check is not vacuous)', () => {
    expect(cacheFilesAfterSession(plain, {})).toContain(join('Microsoft', 'DeveloperTools', '.onnxruntime', 'onnxruntime.db'));
  });
  it('importOrt leaves the cache directory empty', () => {
    expect(cacheFilesAfterSession(viaQconform, {})).toEqual([]);
  });
  it("a user's ORT_DISABLE_TELEMETRY=0 is theirs: ORT records", () => {
    expect(cacheFilesAfterSession(viaQconform, { ORT_DISABLE_TELEMETRY: '0' })).toContain(join('Microsoft', 'DeveloperTools', '.onnxruntime', 'onnxruntime.db'));
  });
});
