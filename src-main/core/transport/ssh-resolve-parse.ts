// Parsing `ssh -G HOST` output: OpenSSH's own resolution of a host, after ~/.ssh/config aliases,
// Match blocks, ports, users and ProxyJump. It is the truth for what ssh will do. Pure.

export interface ResolvedHost {
  readonly hostname: string;
  readonly user: string;
  readonly port: number;
  /** OpenSSH prints yes, no, accept-new, ask, or false/true on older versions. */
  readonly strictHostKeyChecking: string;
  readonly userKnownHostsFiles: readonly string[];
  readonly identityFiles: readonly string[];
  readonly proxyJump: string | null;
}

/** Reads `ssh -G` output ("key value" lines, lower-case keys); throws on a missing essential. */
export function parseSshG(output: unknown): ResolvedHost {
  if (typeof output !== 'string') throw new TypeError('ssh -G output must be text');
  const values = new Map<string, string[]>();
  for (const line of output.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    const space = trimmed.indexOf(' ');
    const key = (space < 0 ? trimmed : trimmed.slice(0, space)).toLowerCase();
    const value = space < 0 ? '' : trimmed.slice(space + 1);
    values.set(key, [...(values.get(key) ?? []), value]);
  }
  const one = (key: string): string => {
    const found = values.get(key)?.[0];
    if (found === undefined) throw new Error(`ssh -G printed no ${key}`);
    return found;
  };
  const port = Number(one('port'));
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`ssh -G printed an invalid port: ${one('port')}`);
  const proxyJump = values.get('proxyjump')?.[0];
  return {
    hostname: one('hostname'),
    user: one('user'),
    port,
    strictHostKeyChecking: values.get('stricthostkeychecking')?.[0] ?? 'ask',
    userKnownHostsFiles: (values.get('userknownhostsfile') ?? []).flatMap((line) => line.split(' ').filter(Boolean)),
    identityFiles: values.get('identityfile') ?? [],
    proxyJump: proxyJump && proxyJump !== 'none' ? proxyJump : null,
  };
}

/** Whether the resolved settings accept any host key: the config turned checking off. */
export function hostKeyCheckingOff(host: ResolvedHost): boolean {
  return ['no', 'false', 'off'].includes(host.strictHostKeyChecking.toLowerCase()) || host.userKnownHostsFiles.includes('/dev/null');
}
