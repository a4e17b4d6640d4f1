// What runs on the server to install a public key, our ssh-copy-id: the key arrives on stdin
// (never in the command line), ~/.ssh is made 0700 and authorized_keys 0600, a key already
// there is not added twice (whatever its comment), and a last line without its newline is
// finished first so the new key never joins it. One line of sh, so any login shell passes it on.

/** Printed on success, so the step can tell "added" from "already there". */
export const KEY_ADDED = 'TIDEMARK-KEY-ADDED';
export const KEY_PRESENT = 'TIDEMARK-KEY-PRESENT';

/** Exit codes of the script, each with what it means. */
export const INSTALL_EXIT: Readonly<Record<number, string>> = {
  64: 'the key did not arrive on stdin',
  65: 'cannot create ~/.ssh or make it 0700',
  66: 'cannot create ~/.ssh/authorized_keys or make it 0600',
  67: 'cannot append to ~/.ssh/authorized_keys',
};

/** Reads two lines on stdin: the whole key line, then "type base64" (the key without comment). */
export const INSTALL_KEY_SCRIPT = [
  'umask 077',
  'IFS= read -r line || exit 64',
  'IFS= read -r key || exit 64',
  '[ -n "$key" ] || exit 64',
  'dir="$HOME/.ssh"',
  'file="$dir/authorized_keys"',
  'mkdir -p -- "$dir" || exit 65',
  'chmod 700 -- "$dir" || exit 65',
  'if [ ! -e "$file" ]; then : > "$file" || exit 66; fi',
  'chmod 600 -- "$file" || exit 66',
  `if grep -qxF -e "$key" -- "$file" || grep -qF -e "$key " -- "$file"; then echo ${KEY_PRESENT}; exit 0; fi`,
  `if [ -s "$file" ] && [ -n "$(tail -c 1 -- "$file")" ]; then printf '\\n' >> "$file" || exit 67; fi`,
  `printf '%s\\n' "$line" >> "$file" || exit 67`,
  `echo ${KEY_ADDED}`,
].join('; ');
