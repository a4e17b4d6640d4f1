// What runs on the server before a target is saved, and how its answer is read. The target
// directory and the rsync program are arguments of `sh -c` ($1, $2), quoted by ssh-quote, so no
// shell string is built from them. The answer is "key<TAB>value" lines. A directory the check
// had to create stays (the target will live there) unless a later check fails: then every
// level it created is removed again.

/** Problems the server reports; anything else is an error of the check itself. */
export type PreflightProblem = 'no-rsync' | 'not-creatable' | 'not-directory' | 'not-writable';

const PROBLEMS: readonly PreflightProblem[] = ['no-rsync', 'not-creatable', 'not-directory', 'not-writable'];

/** $1: the rsync program; $2: the target directory (~ and ~/ as the remote shell would read them). */
export const PREFLIGHT_SCRIPT = [
  'r=$1',
  'd=$2',
  'case $d in "~") d=$HOME ;; "~/"*) d="$HOME/${d#"~/"}" ;; esac',
  `if ! command -v "$r" >/dev/null 2>&1; then printf 'problem\\tno-rsync\\n'; exit 0; fi`,
  `printf 'rsync\\t%s\\n' "$("$r" --version 2>&1 | head -n 1)"`,
  // The highest level of the target that is missing: what mkdir -p creates, and undo removes.
  'first=',
  'p=$d',
  'while [ ! -e "$p" ] && [ ! -L "$p" ]; do first=$p; p=$(dirname -- "$p"); [ "$p" = "$first" ] && break; done',
  'undo() { [ -n "$first" ] || return 0; x=$d; while :; do rmdir -- "$x" 2>/dev/null; [ "$x" = "$first" ] && break; n=$(dirname -- "$x"); [ "$n" = "$x" ] && break; x=$n; done; }',
  `if [ -n "$first" ]; then mkdir -p -- "$d" || { printf 'problem\\tnot-creatable\\n'; undo; exit 0; }; printf 'created\\t1\\n'; fi`,
  `if [ ! -d "$d" ]; then printf 'problem\\tnot-directory\\n'; exit 0; fi`,
  'probe="$d/.tidemark-preflight-$$"',
  `if ! ( : > "$probe" ); then printf 'problem\\tnot-writable\\n'; undo; exit 0; fi`,
  'rm -f -- "$probe"',
  `printf 'dir\\t%s\\n' "$(cd -- "$d" && pwd -P)"`,
  `printf 'df\\t%s\\n' "$(df -Pk -- "$d" | tail -n 1)"`,
  `printf 'end\\tok\\n'`,
].join('; ');

export type PreflightOutput =
  | { readonly kind: 'problem'; readonly problem: PreflightProblem; readonly rsyncLine: string | null }
  | { readonly kind: 'ready'; readonly rsyncLine: string; readonly created: boolean; readonly directory: string; readonly availableKiB: number; readonly mountPoint: string };

/** Reads the script's answer; an Error when it is not one (the script did not run to its end). */
export function parsePreflightOutput(stdout: unknown): PreflightOutput | Error {
  if (typeof stdout !== 'string') return new Error('the preflight printed no text');
  const values = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab > 0 && !values.has(line.slice(0, tab))) values.set(line.slice(0, tab), line.slice(tab + 1));
  }
  const rsyncLine = values.get('rsync') ?? null;
  const problem = values.get('problem');
  if (problem !== undefined) {
    const known = PROBLEMS.find((p) => p === problem);
    return known ? { kind: 'problem', problem: known, rsyncLine } : new Error(`the preflight reported an unknown problem: ${problem}`);
  }
  const directory = values.get('dir');
  const df = parseDfLine(values.get('df') ?? '');
  if (values.get('end') !== 'ok' || rsyncLine === null || !directory) return new Error('the preflight stopped before its end');
  if (df instanceof Error) return df;
  return { kind: 'ready', rsyncLine, created: values.get('created') === '1', directory, ...df };
}

/** One data line of `df -Pk`: filesystem, size, used, available (KiB), capacity%, mount point. */
export function parseDfLine(line: string): { availableKiB: number; mountPoint: string } | Error {
  const match = /^(.*\S)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)%\s+(\S.*)$/.exec(line.trim());
  if (!match) return new Error(`df -Pk printed what Tidemark cannot read: ${line.trim() || 'nothing'}`);
  return { availableKiB: Number(match[4]), mountPoint: match[6]! };
}

/** The version in `rsync --version`'s first line ("rsync  version 3.2.7  protocol version 31"). */
export function parseRsyncVersion(line: string): { version: string; protocol: number | null } | null {
  const version = /\bversion\s+v?(\d+\.\d+(?:\.\d+)?\S*)/.exec(line)?.[1];
  if (!version) return null;
  const protocol = /protocol version (\d+)/.exec(line)?.[1];
  return { version, protocol: protocol ? Number(protocol) : null };
}
