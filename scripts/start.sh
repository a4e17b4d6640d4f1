#!/usr/bin/env bash
# Runs the app: installs what is missing, builds, and launches Electron. Where Electron cannot
# start, it says why in one line and serves the same screens to a browser (tidemark ui).
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/deps.sh

ensure_debian_packages "${APP_DEBIAN_PACKAGES[@]}" || exit 1
ensure_npm_packages || exit 1
npm run --silent build || { echo "The build failed; see the errors above." >&2; exit 1; }

# Find the binary by its files: require('electron') would try a download that hangs offline.
electron_binary() {
  if [ -n "${ELECTRON_OVERRIDE_DIST_PATH:-}" ]; then
    [ -x "$ELECTRON_OVERRIDE_DIST_PATH/electron" ] && echo "$ELECTRON_OVERRIDE_DIST_PATH/electron"
    return
  fi
  local path_file=node_modules/electron/path.txt
  [ -f "$path_file" ] && [ -x "node_modules/electron/dist/$(cat "$path_file")" ] && echo "node_modules/electron/dist/$(cat "$path_file")"
}

binary=$(electron_binary)
reason=""
if [ -z "$binary" ]; then
  reason="No Electron binary is installed, and this machine cannot download one (Electron 42 and later fetch it from GitHub on first use)."
elif [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  reason="There is no display to open a window on (neither DISPLAY nor WAYLAND_DISPLAY is set)."
fi

if [ -n "$reason" ]; then
  # The same screens in a browser instead (tidemark ui prints the URL; --open only where a
  # desktop can show it). The engine itself never needed Electron: see `npx tidemark --help`.
  echo "Tidemark cannot open its desktop window here: $reason Serving it to a browser on 127.0.0.1 instead (tidemark ui)." >&2
  ui_args=(ui)
  { [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; } && ui_args+=(--open)
  exec node bin/tidemark.js "${ui_args[@]}"
fi

extra=()
[ "$(id -u)" -eq 0 ] && extra+=(--no-sandbox)
exec "$binary" out/main/main.js "${extra[@]}" "$@"
