#!/usr/bin/env bash
# npm run dist [-- TARGET...]: the Linux packages (default: AppImage deb; `dir` for the unpacked
# app only) in release/. electron-builder downloads what it lacks from GitHub, so this checks
# first, each probe bounded to a few seconds, and says what is missing and how to provide it
# instead of retrying for minutes. `npm run dist -- --check` only checks.
set -uo pipefail
cd "$(dirname "$0")/.."

check_only=false
targets=()
for arg in "$@"; do
  case $arg in
    --check) check_only=true ;;
    AppImage | deb | dir) targets+=("$arg") ;;
    *) echo "usage: npm run dist [-- --check] [-- AppImage|deb|dir ...]" >&2; exit 2 ;;
  esac
done
[ ${#targets[@]} -eq 0 ] && targets=(AppImage deb)
wants() { [[ " ${targets[*]} " == *" $1 "* ]]; }

version=$(node -p "require('./node_modules/electron/package.json').version" 2>/dev/null) || {
  echo "node_modules/electron is missing: run npm install first." >&2
  exit 1
}
arch=x64
case $(uname -m) in aarch64) arch=arm64 ;; armv7l) arch=armv7l ;; esac
zip_name="electron-v$version-linux-$arch.zip"
builder_cache=${ELECTRON_BUILDER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/electron-builder}
binaries_mirror=${ELECTRON_BUILDER_BINARIES_MIRROR:-https://github.com/electron-userland/electron-builder-binaries/releases/download/}
binaries_mirror=${binaries_mirror%/}/
missing=()
builder_args=()

# A URL answers when its first byte can be fetched within 15 s (redirects followed).
reachable() { curl -fsL --max-time 15 --range 0-0 -o /dev/null "$1" 2>/dev/null; }
command -v curl >/dev/null || { echo "curl is needed for the network checks (apt-get install curl)." >&2; exit 1; }

# 1. The Electron distribution: an unpacked one, a zip in a cache, or a download.
electron_cache=${electron_config_cache:-${XDG_CACHE_HOME:-$HOME/.cache}/electron}
if [ -n "${ELECTRON_OVERRIDE_DIST_PATH:-}" ]; then
  if [ -x "$ELECTRON_OVERRIDE_DIST_PATH/electron" ]; then
    builder_args+=("-c.electronDist=$ELECTRON_OVERRIDE_DIST_PATH")
    echo "Electron $version: the unpacked distribution in ELECTRON_OVERRIDE_DIST_PATH=$ELECTRON_OVERRIDE_DIST_PATH"
  else
    missing+=("ELECTRON_OVERRIDE_DIST_PATH=$ELECTRON_OVERRIDE_DIST_PATH holds no executable 'electron'.")
  fi
elif zip=$(find "$electron_cache" -name "$zip_name" -print -quit 2>/dev/null) && [ -n "$zip" ]; then
  builder_args+=("-c.electronDist=$zip")
  echo "Electron $version: $zip"
else
  mirror=${ELECTRON_MIRROR:-https://github.com/electron/electron/releases/download/}
  url="${mirror%/}/${ELECTRON_CUSTOM_DIR:-v$version}/$zip_name"
  if reachable "$url"; then
    echo "Electron $version: electron-builder will download $url"
  else
    missing+=("The Electron distribution ($zip_name): $url cannot be reached. Provide one of:
     - ELECTRON_OVERRIDE_DIST_PATH=/path/to/unpacked/electron (the directory holding the 'electron' binary),
     - the zip anywhere under electron_config_cache (now $electron_cache),
     - ELECTRON_MIRROR=https://your.mirror/electron/ (laid out as v$version/$zip_name).")
  fi
fi

# 2. electron-builder's tools: a path to a local copy, its cache, or a download.
# $1 what, $2 env var naming a local copy (empty: none), $3 release dir, $4 file.
builder_tool() {
  local what=$1 env_name=$2 release=$3 file=$4
  if [ -n "$env_name" ] && [ -n "${!env_name:-}" ]; then echo "$what: $env_name=${!env_name}"; return; fi
  if compgen -G "$builder_cache/$release/${file%%.*}*" >/dev/null; then echo "$what: cached in $builder_cache/$release"; return; fi
  local url="$binaries_mirror$release/$file"
  if reachable "$url"; then echo "$what: electron-builder will download $url"; return; fi
  missing+=("$what ($file): $url cannot be reached. Provide one of:
     ${env_name:+- $env_name (a local copy),
     }- the archive at $builder_cache/$release/$file (ELECTRON_BUILDER_CACHE moves the cache),
     - ELECTRON_BUILDER_BINARIES_MIRROR=https://your.mirror/ (laid out as $release/$file).")
}
if wants AppImage || wants deb; then
  # Both come as .7z archives; Debian's p7zip-full unpacks them without a download.
  [ -z "${ELECTRON_BUILDER_7ZIP_PATH:-}" ] && command -v 7za >/dev/null && export ELECTRON_BUILDER_7ZIP_PATH=$(command -v 7za)
  builder_tool "7-Zip" ELECTRON_BUILDER_7ZIP_PATH 7zip@1.0.0 "7zip-linux-$arch.tar.gz"
fi
wants AppImage && builder_tool "AppImage tools" APPIMAGE_TOOLS_PATH appimage-12.0.1 appimage-12.0.1.7z
if wants deb; then
  if [ -z "${CUSTOM_FPM_PATH:-}" ] && [ "${USE_SYSTEM_FPM:-}" != true ] && command -v fpm >/dev/null; then export USE_SYSTEM_FPM=true; fi
  if [ "${USE_SYSTEM_FPM:-}" = true ]; then
    command -v fpm >/dev/null && echo "fpm: $(command -v fpm)" || missing+=("USE_SYSTEM_FPM=true, but no fpm is on PATH.")
  else
    fpm_arch=amd64
    [ "$arch" = arm64 ] && fpm_arch=arm64v8
    builder_tool "fpm (for the deb)" CUSTOM_FPM_PATH fpm@2.1.4 "fpm-1.17.0-ruby-3.4.3-linux-$fpm_arch.7z"
  fi
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo >&2
  echo "npm run dist cannot build ${targets[*]} here; missing:" >&2
  for item in "${missing[@]}"; do echo "  - $item" >&2; done
  echo "See README.md, \"Packaging\"." >&2
  exit 1
fi
$check_only && { echo "Everything npm run dist needs is here."; exit 0; }

npm run --silent build || { echo "The build failed; see the errors above." >&2; exit 1; }
exec npx --no-install electron-builder --linux "${targets[@]}" --publish never "${builder_args[@]}"
