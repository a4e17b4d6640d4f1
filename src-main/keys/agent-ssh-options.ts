// The OpenSSH options a paired target's ssh and rsync children run with: the agent's key for
// this target and nothing else, the host key pinned in the app's known_hosts file, and never a
// prompt. Pure: argv words only, no shell.

export interface AgentSshOptionsInput {
  /** The app's pinned known_hosts file (the only one consulted). */
  readonly knownHostsFile: string;
  /** The key's NAME.pub: with IdentitiesOnly, ssh offers only the agent's key that matches it. */
  readonly publicKeyFile: string;
}

/**
 * `-o` options, as argv words. `IdentitiesOnly=yes` with `IdentityFile` naming a public key
 * makes ssh take the matching private key from the agent (SSH_AUTH_SOCK) and offer no other:
 * not the agent's other keys, not ~/.ssh/id_*. Only publickey authentication is tried, and
 * BatchMode turns every prompt (a password, an unknown host) into a failure.
 */
export function agentSshOptions(input: AgentSshOptionsInput): string[] {
  const options = [
    `IdentityFile=${configPath(input.publicKeyFile)}`,
    'IdentitiesOnly=yes',
    'PreferredAuthentications=publickey',
    'PasswordAuthentication=no',
    'KbdInteractiveAuthentication=no',
    `UserKnownHostsFile=${configPath(input.knownHostsFile)}`,
    'GlobalKnownHostsFile=/dev/null',
    'StrictHostKeyChecking=yes',
    'UpdateHostKeys=no',
    'BatchMode=yes',
  ];
  return options.flatMap((option) => ['-o', option]);
}

/** The environment that points the children at the agent. */
export function agentSshEnv(socketPath: string): Record<string, string> {
  return { SSH_AUTH_SOCK: socketPath };
}

/**
 * A path as ssh's config parser reads it: absolute (no `~` expansion), `%` doubled (both
 * options expand %-tokens), in double quotes when it has a space or a single quote. Quotes,
 * backslashes and `${` (environment expansion) change what ssh reads and are refused.
 */
function configPath(path: string): string {
  if (!path.startsWith('/')) throw new Error(`ssh needs an absolute path here, not ${JSON.stringify(path)}`);
  if (/["\\\n\r\0]|\$\{/.test(path)) throw new Error(`ssh's config syntax cannot carry the path ${JSON.stringify(path)}`);
  const escaped = path.replace(/%/g, '%%');
  return /[\s']/.test(escaped) ? `"${escaped}"` : escaped;
}
