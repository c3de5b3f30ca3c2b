#!/usr/bin/env bash
# Prepares an arm64 sysroot with Debian bookworm's XNNPACK (the same 2022 snapshot as the amd64 package) and
# the amd64 cross tools to build and run the qconform XNNPACK adapter for arm64 (NEON) under qemu-user
# (`qconform run --backend xnnpack --cpu arm64`; build.sh xnnpack-arm64 builds the adapter against it).
#
# Usage: conformance/backends/native/setup_arm64_sysroot.sh [TARGET_DIR]   (default build/arm64-sysroot; `npm run setup:arm64`)
#
#   TARGET_DIR/apt/       private apt configuration, state, lists and cache (APT::Architecture=arm64); the
#                         system's dpkg architectures and apt state are never touched
#   TARGET_DIR/debs/      the downloaded arm64 .debs
#   TARGET_DIR/root/      the .debs extracted with dpkg-deb -x (usr/include, usr/lib/aarch64-linux-gnu)
#   TARGET_DIR/PACKAGES   name, version, sha256 of each .deb extracted
#
# Host packages (amd64, through the system's apt-get): g++-aarch64-linux-gnu (also brings the arm64 glibc and
# libstdc++ under /usr/aarch64-linux-gnu, the qemu -L root) and qemu-user-static; installed only if missing.
# Idempotent: a second run reuses the downloaded .debs (apt-get download skips files already present) and
# re-extracts them. Environment: DEBIAN_MIRROR (default: the first non-security Debian URI of the system's
# sources), DEBIAN_SUITE (default bookworm), SKIP_HOST_PACKAGES=1 (do not check or install the host tools).
set -euo pipefail

[[ $# -le 1 ]] || { echo "usage: $0 [TARGET_DIR]" >&2; exit 2; }
default_target="$(cd "$(dirname "$0")/../../.." && pwd)/build/arm64-sysroot"
mkdir -p "${1:-$default_target}"
target="$(cd "${1:-$default_target}" && pwd)"
suite="${DEBIAN_SUITE:-bookworm}"
packages=(libxnnpack0 libxnnpack-dev libcpuinfo0 libcpuinfo-dev libpthreadpool0 libpthreadpool-dev)
apt_lock=(-o DPkg::Lock::Timeout=900)
log() { echo "setup_sysroot: $*"; }

# --- host tools (amd64 packages only) -------------------------------------------------------------------
if [[ "${SKIP_HOST_PACKAGES:-0}" != 1 ]]; then
  missing=()
  command -v aarch64-linux-gnu-g++ >/dev/null || missing+=(g++-aarch64-linux-gnu)
  command -v qemu-aarch64-static >/dev/null || missing+=(qemu-user-static)
  if [[ ${#missing[@]} -gt 0 ]]; then
    log "installing host packages: ${missing[*]}"
    sudo_cmd=(); [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get "${apt_lock[@]}" update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get "${apt_lock[@]}" install -y -qq --no-install-recommends "${missing[@]}"
  else
    log "host tools present: $(command -v aarch64-linux-gnu-g++), $(command -v qemu-aarch64-static)"
  fi
fi

# --- private apt configuration for arm64 --------------------------------------------------------------------
mirror="${DEBIAN_MIRROR:-}"
if [[ -z "$mirror" ]]; then
  # deb822 `URIs:` lines or one-line `deb URI suite ...` entries; the security archive is skipped
  mirror="$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null |
    sed -n -e 's/^URIs:[[:space:]]*\([^[:space:]]*\).*/\1/p' -e 's/^deb[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\?\([^[:space:]]*\).*/\2/p' |
    grep -E '/debian/?$' | grep -v security | head -n1 || true)"
  mirror="${mirror:-http://deb.debian.org/debian}"
fi
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[[ -f "$keyring" ]] || { echo "missing $keyring (apt-get install debian-archive-keyring)" >&2; exit 1; }

apt_dir="$target/apt"
mkdir -p "$apt_dir/etc/sources.list.d" "$apt_dir/etc/preferences.d" "$apt_dir/etc/apt.conf.d" "$apt_dir/state/lists/partial" "$apt_dir/cache/archives/partial"
: >"$apt_dir/state/status.empty"   # an empty dpkg status: nothing is "installed" for this private apt
cat >"$apt_dir/etc/sources.list" <<EOF
deb [arch=arm64 signed-by=$keyring] $mirror $suite main
deb [arch=arm64 signed-by=$keyring] $mirror $suite-updates main
EOF
apt_opts=(
  -o APT::Architecture=arm64 -o APT::Architectures::=arm64
  -o Dir::Etc::SourceList="$apt_dir/etc/sources.list" -o Dir::Etc::SourceParts="$apt_dir/etc/sources.list.d"
  -o Dir::Etc::Preferences="$apt_dir/etc/preferences" -o Dir::Etc::PreferencesParts="$apt_dir/etc/preferences.d"
  -o Dir::Etc::Parts="$apt_dir/etc/apt.conf.d"
  -o Dir::State="$apt_dir/state" -o Dir::State::Lists="$apt_dir/state/lists" -o Dir::State::status="$apt_dir/state/status.empty"
  -o Dir::Cache="$apt_dir/cache" -o Dir::Cache::Archives="$apt_dir/cache/archives"
  -o Debug::NoLocking=1 -o APT::Get::List-Cleanup=0
)
# as root, apt would drop to _apt for downloads, which cannot write into TARGET_DIR (a harmless warning)
[[ $(id -u) -ne 0 ]] || apt_opts+=(-o APT::Sandbox::User=root)
log "private apt for arm64: $mirror $suite{,-updates} main (state in $apt_dir)"
apt-get "${apt_opts[@]}" update -qq

# --- download and extract -----------------------------------------------------------------------------------
debs="$target/debs"
mkdir -p "$debs"
(cd "$debs" && apt-get "${apt_opts[@]}" download "${packages[@]/%/:arm64}")
root="$target/root"
rm -rf "$root.tmp"
mkdir -p "$root.tmp"
: >"$target/PACKAGES.tmp"
for p in "${packages[@]}"; do
  version="$(apt-cache "${apt_opts[@]}" policy "$p:arm64" | sed -n 's/^ *Candidate: //p')"
  deb="$(ls "$debs/${p}_${version//:/%3a}_arm64.deb")"
  dpkg-deb -x "$deb" "$root.tmp"
  printf '%s %s %s\n' "$p" "$version" "$(sha256sum "$deb" | cut -d' ' -f1)" >>"$target/PACKAGES.tmp"
  log "extracted $(basename "$deb")"
done
rm -rf "$root"
mv "$root.tmp" "$root"
mv "$target/PACKAGES.tmp" "$target/PACKAGES"
# libXNNPACK.so etc. are relative symlinks inside usr/lib/aarch64-linux-gnu, so they resolve inside the sysroot
log "sysroot ready: $root"
log "  headers  $root/usr/include (xnnpack.h, cpuinfo.h, pthreadpool.h)"
log "  libs     $root/usr/lib/aarch64-linux-gnu: $(cd "$root/usr/lib/aarch64-linux-gnu" && ls | tr '\n' ' ')"
log "  cross    $(aarch64-linux-gnu-g++ --version 2>/dev/null | head -n1 || echo 'aarch64-linux-gnu-g++ missing')"
log "  qemu     $(qemu-aarch64-static --version 2>/dev/null | head -n1 || echo 'qemu-aarch64-static missing')"
