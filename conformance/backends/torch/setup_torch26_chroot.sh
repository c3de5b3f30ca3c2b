#!/usr/bin/env bash
# Builds the Debian 13 (trixie) chroot that holds PyTorch 2.6 (python3-torch 2.6.0, Python 3.13, engines
# qnnpack and onednn with oneDNN 3.7) for the torch26-qnnpack / torch26-onednn built-in backends.
# Debian 12 packages torch 1.13 only, and trixie's torch needs a newer glibc and Python, hence a chroot.
#
# Usage: conformance/backends/torch/setup_torch26_chroot.sh   (`npm run setup:torch26`; needs root)
#
#   The chroot lives in ONE fixed directory: $QCONFORM_TORCH26_ROOT, default /var/cache/qconform/torch26-trixie
#   (the backends look in the same place). It is built in DIR.partial and renamed to DIR when complete, and
#   DIR/.qconform-torch26-ready records the installed versions: a second run finds it and does nothing.
#   2-6 minutes and 1.3-1.6 GB on a fresh machine.
#
# Steps: host package debootstrap (apt-get install, only if missing; no other host package is touched),
# `debootstrap --variant=minbase trixie DIR.partial MIRROR`, then inside the chroot (with /proc mounted for
# the duration and unmounted on every exit path) `apt-get install --no-install-recommends python3-torch
# python3-numpy`. Environment: DEBIAN_MIRROR (default: the system's first non-security Debian URI, else
# http://deb.debian.org/debian).
set -euo pipefail

[[ $# -eq 0 ]] || { echo "usage: $0   (no arguments; QCONFORM_TORCH26_ROOT overrides the directory)" >&2; exit 2; }
root="${QCONFORM_TORCH26_ROOT:-/var/cache/qconform/torch26-trixie}"
marker="$root/.qconform-torch26-ready"
log() { echo "setup_torch26: $*"; }

if [[ -f "$marker" ]]; then
  log "already set up: $root ($(tr '\n' ' ' <"$marker"))"
  exit 0
fi
[[ $(id -u) -eq 0 ]] || { echo "setup_torch26: needs root (debootstrap and chroot); run it as root or with sudo" >&2; exit 1; }

apt_lock=(-o DPkg::Lock::Timeout=900)
if ! command -v debootstrap >/dev/null; then
  log "installing host package debootstrap"
  apt-get "${apt_lock[@]}" update -qq
  DEBIAN_FRONTEND=noninteractive apt-get "${apt_lock[@]}" install -y -qq --no-install-recommends debootstrap
fi

mirror="${DEBIAN_MIRROR:-}"
if [[ -z "$mirror" ]]; then
  mirror="$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null |
    sed -n -e 's/^URIs:[[:space:]]*\([^[:space:]]*\).*/\1/p' -e 's/^deb[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\?\([^[:space:]]*\).*/\2/p' |
    grep -E '/debian/?$' | grep -v security | head -n1 || true)"
  mirror="${mirror:-http://deb.debian.org/debian}"
fi

partial="$root.partial"
proc_mounted=0
cleanup() {
  if [[ $proc_mounted -eq 1 ]] || mountpoint -q "$partial/proc" 2>/dev/null; then
    umount "$partial/proc" 2>/dev/null || umount -l "$partial/proc" 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# a partial tree from an interrupted run is discarded (never anything mounted below it: see cleanup)
if [[ -e "$partial" ]]; then
  mountpoint -q "$partial/proc" 2>/dev/null && umount -l "$partial/proc"
  log "removing an interrupted build: $partial"
  rm -rf --one-file-system "$partial"
fi
mkdir -p "$(dirname "$root")"
log "debootstrap --variant=minbase trixie $partial $mirror"
debootstrap --variant=minbase trixie "$partial" "$mirror"

mount -t proc proc "$partial/proc"
proc_mounted=1
cp /etc/resolv.conf "$partial/etc/resolv.conf" 2>/dev/null || true
log "apt-get install --no-install-recommends python3-torch python3-numpy (inside the chroot)"
chroot "$partial" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
  apt-get -o DPkg::Lock::Timeout=900 update -qq
chroot "$partial" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
  apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends python3-torch python3-numpy
chroot "$partial" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin apt-get clean
versions="$(chroot "$partial" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin python3 -c \
  'import sys, torch, numpy; print("python", sys.version.split()[0]); print("torch", torch.__version__); print("numpy", numpy.__version__); print("engines", ",".join(torch.backends.quantized.supported_engines))')"
umount "$partial/proc"
proc_mounted=0
mkdir -p "$partial/qconform"   # the backends bind-mount the python adapter here (read-only)
printf '%s\nmirror %s\n' "$versions" "$mirror" >"$partial/.qconform-torch26-ready"
rm -rf --one-file-system "$root" 2>/dev/null || true
mv "$partial" "$root"
log "ready: $root"
log "  $(tr '\n' ' ' <"$marker")"
log "  size $(du -sh --one-file-system "$root" | cut -f1)"
