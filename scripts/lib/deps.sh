# Shared by scripts/test.sh and scripts/start.sh: install what is missing, or say exactly what to install.

# Debian packages the tests use: real rsync, a throwaway sshd, lsyncd (the benchmark reference),
# inotify tools, Chromium for the renderer, and a Secret Service for the keychain.
TEST_DEBIAN_PACKAGES=(rsync openssh-server openssh-client lsyncd inotify-tools chromium gnome-keyring dbus dbus-x11 libsecret-1-dev libsecret-tools python3 make g++)
# What building and running the app needs (keytar compiles against libsecret).
APP_DEBIAN_PACKAGES=(rsync openssh-client libsecret-1-dev python3 make g++)

missing_debian_packages() {
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || printf '%s\n' "$pkg"
  done
}

ensure_debian_packages() {
  local missing
  mapfile -t missing < <(missing_debian_packages "$@")
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing Debian packages: ${missing[*]}" >&2
    echo "Install them, then run this command again:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    return 1
  fi
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null || {
    echo "apt-get install failed for: ${missing[*]}" >&2
    return 1
  }
}

# npm packages: install from the lockfile when node_modules is missing or out of date.
ensure_npm_packages() {
  if [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] && npm ls --depth=0 >/dev/null 2>&1; then
    return 0
  fi
  echo "Installing npm packages (npm ci)"
  npm ci --no-audit --no-fund || { echo "npm ci failed" >&2; return 1; }
}
