#!/usr/bin/env bash
# Builds the native qconform backends into build/native/ (gitignored) with the machine's g++:
#   xnnpack_backend   XNNPACK int8 convolutions (apt-get install -y libxnnpack-dev libpthreadpool-dev libcpuinfo-dev)
#   gemmlowp_backend  gemmlowp fixed-point requantization (apt-get install -y libgemmlowp-dev)
#   xnnpack-arm64     build/native-arm64/xnnpack_backend: the XNNPACK adapter cross-compiled with g++-aarch64-linux-gnu
#                     against Debian's arm64 libxnnpack in build/arm64-sysroot (setup_arm64_sysroot.sh, `npm run setup:arm64`),
#                     run under qemu-aarch64-static (`qconform run --backend xnnpack --cpu arm64`); not built by default
# Usage: conformance/backends/native/build.sh [xnnpack|gemmlowp|xnnpack-arm64 ...]   (default: xnnpack gemmlowp). `npm run build:native` runs it.
# A backend whose Debian package is missing is skipped with the install command, and the script exits 1
# (each target is built inside `||`, where set -e does not apply: every step checks its own status).
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
src="$root/conformance/backends/native"
out="$root/build/native"
mkdir -p "$out"
CXX="${CXX:-g++}"
CXXFLAGS=(-std=c++17 -O2 -Wall -Wextra -Werror -I"$src")

package_version() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || true; }

build_xnnpack() {
  local version
  version="$(package_version libxnnpack-dev)"
  if [[ -z "$version" || ! -f /usr/include/xnnpack.h ]]; then
    echo "skipped xnnpack_backend: libxnnpack-dev is not installed (apt-get install -y libxnnpack-dev libpthreadpool-dev libcpuinfo-dev)" >&2
    return 1
  fi
  "$CXX" "${CXXFLAGS[@]}" -DQCONFORM_XNNPACK_PACKAGE="\"libxnnpack-dev $version\"" "$src/xnnpack_backend.cpp" \
    -o "$out/xnnpack_backend.tmp" -lXNNPACK -lpthreadpool -lcpuinfo -lpthread -lm || return 1
  mv "$out/xnnpack_backend.tmp" "$out/xnnpack_backend"
  echo "built $out/xnnpack_backend (libxnnpack-dev $version)"
}

build_gemmlowp() {
  local version
  version="$(package_version libgemmlowp-dev)"
  if [[ -z "$version" || ! -f /usr/include/gemmlowp/fixedpoint/fixedpoint.h ]]; then
    echo "skipped gemmlowp_backend: libgemmlowp-dev is not installed (apt-get install -y libgemmlowp-dev)" >&2
    return 1
  fi
  # with SSE4.1, gemmlowp's __m128i overloads (fixedpoint_sse.h) are checked against its scalar ones
  local simd=()
  if grep -qw sse4_1 /proc/cpuinfo 2>/dev/null; then simd=(-msse4.1); fi
  "$CXX" "${CXXFLAGS[@]}" "${simd[@]}" -DQCONFORM_GEMMLOWP_PACKAGE="\"libgemmlowp-dev $version\"" -isystem /usr/include/gemmlowp "$src/gemmlowp_backend.cpp" \
    -o "$out/gemmlowp_backend.tmp" || return 1
  mv "$out/gemmlowp_backend.tmp" "$out/gemmlowp_backend"
  echo "built $out/gemmlowp_backend (libgemmlowp-dev $version)"
}

# Linking: the cross compiler's own sysroot (/usr/aarch64-linux-gnu) supplies glibc and libstdc++ (it is also qemu's -L
# root); the XNNPACK sysroot adds its headers and libraries, and -rpath-link for libXNNPACK's own NEEDED libcpuinfo and
# libpthreadpool. Debian ships no libXNNPACK.a, so the binary is dynamic; the runner passes the library directory to the
# guest as LD_LIBRARY_PATH (conformance/backends/native/native_adapters.ts).
build_xnnpack_arm64() {
  local sysroot="$root/build/arm64-sysroot" cxx="${CXX_ARM64:-aarch64-linux-gnu-g++}" version
  local lib="$sysroot/root/usr/lib/aarch64-linux-gnu" arm64_out="$root/build/native-arm64"
  if [[ ! -f "$sysroot/root/usr/include/xnnpack.h" || ! -e "$lib/libXNNPACK.so" ]]; then
    echo "skipped xnnpack-arm64: no arm64 XNNPACK sysroot in $sysroot (npm run setup:arm64)" >&2
    return 1
  fi
  if ! command -v "$cxx" >/dev/null; then
    echo "skipped xnnpack-arm64: $cxx is missing (apt-get install -y g++-aarch64-linux-gnu)" >&2
    return 1
  fi
  version="$(awk '$1 == "libxnnpack-dev" { print $2 }' "$sysroot/PACKAGES")"
  mkdir -p "$arm64_out"
  "$cxx" "${CXXFLAGS[@]}" -isystem "$sysroot/root/usr/include" -DQCONFORM_XNNPACK_PACKAGE="\"libxnnpack-dev $version arm64\"" "$src/xnnpack_backend.cpp" \
    -o "$arm64_out/xnnpack_backend.tmp" -L"$lib" -Wl,-rpath-link,"$lib" -lXNNPACK -lpthreadpool -lcpuinfo -lpthread -lm || return 1
  mv "$arm64_out/xnnpack_backend.tmp" "$arm64_out/xnnpack_backend"
  echo "built $arm64_out/xnnpack_backend (libxnnpack-dev $version arm64)"
}

targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=(xnnpack gemmlowp)
status=0
for t in "${targets[@]}"; do
  case "$t" in
    xnnpack) build_xnnpack || status=1 ;;
    gemmlowp) build_gemmlowp || status=1 ;;
    xnnpack-arm64) build_xnnpack_arm64 || status=1 ;;
    *) echo "unknown target $t (xnnpack, gemmlowp, xnnpack-arm64)" >&2; exit 2 ;;
  esac
done
exit $status
