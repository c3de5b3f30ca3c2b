#!/usr/bin/env bash
# Runs a command inside the torch 2.6 chroot (setup_torch26_chroot.sh) with /proc mounted and this checkout's
# conformance/backends directory bind-mounted read-only at /qconform, for the torch26-* built-in backends:
#
#   run_in_torch26_chroot.sh ROOT [--qemu BINARY CPU] -- COMMAND ARGS...
#
# The mounts are made in a private mount namespace (unshare --mount --propagation private) whose only
# process then becomes COMMAND (exec chroot): they are never visible outside it, and the kernel removes them
# when that process ends, however it ends (exit, crash, the runner's timeout or its SIGKILL of the process
# group). There is nothing to unmount afterwards and nothing can be left mounted on the host; concurrent runs
# each have their own namespace. /proc matters: without it ATen sees no AVX and picks other kernels.
# With --qemu, COMMAND runs under that static qemu-user binary (bind-mounted at /qconform-qemu) with -cpu CPU.
# Needs root (mount namespaces, chroot).
set -euo pipefail
root="${1:?usage: $0 ROOT [--qemu BINARY CPU] -- COMMAND ARGS...}"
shift
qemu=() qemu_binary=''
if [[ "${1:-}" == --qemu ]]; then
  qemu_binary="$(command -v "$2")" || { echo "$2 not found (apt-get install -y qemu-user-static)" >&2; exit 3; }
  qemu=(/qconform-qemu -cpu "$3")
  shift 3
fi
[[ "${1:-}" == -- ]] || { echo "usage: $0 ROOT [--qemu BINARY CPU] -- COMMAND ARGS..." >&2; exit 2; }
shift
[[ -f "$root/.qconform-torch26-ready" ]] || { echo "no torch 2.6 chroot at $root (run: npm run setup:torch26)" >&2; exit 3; }
backends="$(cd "$(dirname "$0")/.." && pwd)"

# the inner script runs inside the new mount namespace; "$@" is: root backends qemu_binary command...
exec unshare --mount --propagation private -- /bin/bash -c '
  set -euo pipefail
  root="$1" backends="$2" qemu_binary="$3"
  shift 3
  mount -t proc proc "$root/proc"
  mkdir -p "$root/qconform"
  mount --bind "$backends" "$root/qconform"
  mount -o remount,bind,ro "$root/qconform"
  if [[ -n "$qemu_binary" ]]; then
    touch "$root/qconform-qemu"
    mount --bind "$qemu_binary" "$root/qconform-qemu"
  fi
  exec chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 PYTHONDONTWRITEBYTECODE=1 "$@"
' run_in_torch26_chroot "$root" "$backends" "$qemu_binary" "${qemu[@]}" "$@"
