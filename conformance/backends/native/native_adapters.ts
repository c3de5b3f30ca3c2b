/**
 * The native adapters of conformance/native/ (C++ programs speaking docs/protocol.md over real libraries
 * from Debian packages): where their binaries go, whether they can run here, and building them on first
 * use with conformance/backends/native/build.sh (the README's `npm run build:native`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../package_root.js';
import type { Availability } from '../builtin_backend.js';

const ROOT = PACKAGE_ROOT;
const SOURCES = join(ROOT, 'conformance/backends/native');
export const NATIVE_BUILD_DIR = join(ROOT, 'build/native');
export const NATIVE_BUILD_SCRIPT = join(ROOT, 'conformance/backends/native/build.sh');
export const NATIVE_BUILD_COMMAND = 'npm run build:native';

export interface NativeAdapter {
  /** the backend name */
  readonly name: 'xnnpack' | 'gemmlowp';
  /** build.sh's target */
  readonly target: string;
  readonly binary: string;
  /** its own source file; every adapter also depends on the shared protocol headers */
  readonly source: string;
  /** a header the Debian packages install: present means the packages are installed */
  readonly header: string;
  readonly install: string;
}

function adapter(name: NativeAdapter['name'], header: string, packages: string): NativeAdapter {
  return {
    name,
    target: name,
    binary: join(NATIVE_BUILD_DIR, `${name}_backend`),
    source: join(SOURCES, `${name}_backend.cpp`),
    header,
    install: `apt-get update && apt-get install -y g++ ${packages} && ${NATIVE_BUILD_COMMAND}`,
  };
}

export const XNNPACK_ADAPTER = adapter('xnnpack', '/usr/include/xnnpack.h', 'libxnnpack-dev libpthreadpool-dev libcpuinfo-dev');
export const GEMMLOWP_ADAPTER = adapter('gemmlowp', '/usr/include/gemmlowp/fixedpoint/fixedpoint.h', 'libgemmlowp-dev');

/** The arm64 sysroot with Debian's arm64 libxnnpack (setup_arm64_sysroot.sh) and where the guest finds its libraries. */
export const ARM64_SYSROOT = join(ROOT, 'build/arm64-sysroot');
export const ARM64_LIBRARY_DIR = join(ARM64_SYSROOT, 'root/usr/lib/aarch64-linux-gnu');
/** The cross toolchain's arm64 root: glibc, libstdc++ and the dynamic loader for qemu-aarch64's -L. */
export const ARM64_CROSS_ROOT = '/usr/aarch64-linux-gnu';
export const ARM64_SETUP_COMMAND = 'npm run setup:arm64';

/** The XNNPACK adapter cross-compiled for arm64 (build.sh xnnpack-arm64), run under qemu-aarch64-static. */
export const XNNPACK_ARM64_ADAPTER: NativeAdapter = {
  name: 'xnnpack',
  target: 'xnnpack-arm64',
  binary: join(ROOT, 'build/native-arm64/xnnpack_backend'),
  source: join(SOURCES, 'xnnpack_backend.cpp'),
  header: join(ARM64_SYSROOT, 'root/usr/include/xnnpack.h'),
  install: `apt-get update && apt-get install -y g++-aarch64-linux-gnu qemu-user-static && ${ARM64_SETUP_COMMAND}`,
};

/** qemu-aarch64 options that let the dynamically linked arm64 adapter load (its loader, libc and libXNNPACK). */
export const ARM64_QEMU_ARGS: readonly string[] = ['-L', ARM64_CROSS_ROOT, '-E', `LD_LIBRARY_PATH=${ARM64_LIBRARY_DIR}`];

const SHARED_HEADERS = ['json_lines.hpp', 'protocol.hpp'].map((f) => join(SOURCES, f));

/** Built, and newer than its sources. */
function upToDate(a: NativeAdapter): boolean {
  if (!existsSync(a.binary)) return false;
  const built = statSync(a.binary).mtimeMs;
  return [a.source, ...SHARED_HEADERS].every((s) => !existsSync(s) || statSync(s).mtimeMs <= built);
}

function hasCompiler(a: NativeAdapter): boolean {
  const cxx = a.target === 'xnnpack-arm64' ? (process.env.CXX_ARM64 ?? 'aarch64-linux-gnu-g++') : (process.env.CXX ?? 'g++');
  return spawnSync(cxx, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Available when the packages are installed and the adapter is built or can be built here. */
export function nativeAvailability(a: NativeAdapter): Availability {
  if (!existsSync(a.header)) return { available: false, reason: `${a.header} is missing (${a.target === 'xnnpack-arm64' ? 'the arm64 sysroot is not set up' : 'the Debian package is not installed'})`, install: a.install };
  if (upToDate(a)) return { available: true };
  if (!hasCompiler(a)) return { available: false, reason: `${a.binary} is not built and its compiler is missing`, install: a.install };
  return { available: true };
}

/** Builds the adapter with conformance/backends/native/build.sh unless it is up to date; throws with the compiler output on failure. */
export function ensureBuilt(a: NativeAdapter): string {
  if (upToDate(a)) return a.binary;
  const r = spawnSync('bash', [NATIVE_BUILD_SCRIPT, a.target], { encoding: 'utf8' });
  if (r.status !== 0 || !existsSync(a.binary)) throw new Error(`building ${a.target} failed (bash ${NATIVE_BUILD_SCRIPT} ${a.target}):\n${r.stderr}${r.stdout}`);
  return a.binary;
}
