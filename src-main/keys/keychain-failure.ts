// Why the keychain (Secret Service over D-Bus) cannot serve, in one line that names what to
// start or unlock, and the file store as the opt-in way around it. Pure: the caller passes the
// environment it runs in.

/** The two failures keytar (libsecret) reports when no Secret Service can serve. */
const NO_BUS = /Cannot autolaunch D-Bus without X11 \$DISPLAY|DBUS_SESSION_BUS_ADDRESS|Could not connect: No such file|Failed to connect to socket/i;
const NO_COLLECTION = /Object does not exist at path "\/org\/freedesktop\/secrets\/collection\/login"|Cannot create an item in a locked collection|The name org\.freedesktop\.secrets was not provided/i;

const FILE_OPT_IN = 'or keep keys in 0600 files instead with --key-store file';

/** True when the process runs as a systemd unit (it has no login session, so no login keyring). */
function underSystemd(env: Readonly<Record<string, string | undefined>>): boolean {
  return Boolean(env.INVOCATION_ID || env.JOURNAL_STREAM);
}

/** One line, no secret in it: keytar's messages name D-Bus paths, never values. */
export function explainKeychainFailure(message: string, env: Readonly<Record<string, string | undefined>>): string {
  if (underSystemd(env) && (NO_BUS.test(message) || NO_COLLECTION.test(message))) {
    return 'the keychain is not reachable from a systemd service (it has no login keyring): use --key-store file, ' +
      'which keeps keys in 0600 files under $XDG_STATE_HOME/tidemark/keys';
  }
  if (NO_BUS.test(message)) {
    return 'the keychain needs a D-Bus session and none is running (no DBUS_SESSION_BUS_ADDRESS): run from a desktop ' +
      `session, or start one with \`dbus-run-session -- sh\` and unlock gnome-keyring-daemon in it, ${FILE_OPT_IN}`;
  }
  if (NO_COLLECTION.test(message)) {
    return 'the keychain\'s login keyring is locked or missing: unlock it (log in to the desktop session, or ' +
      `\`gnome-keyring-daemon --unlock\` with its password on stdin), ${FILE_OPT_IN}`;
  }
  return `the keychain failed (${message.split('\n')[0]}): ${FILE_OPT_IN}`;
}
