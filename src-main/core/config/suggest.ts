// "did you mean ...?" for unknown keys and options: a case-insensitive match, then a table of the
// misspellings that tutorials and forum posts spread, then the nearest name within edit distance 2.

/** Common misspellings (lowercased, without '_' and '-') and what they meant. */
const MISSPELLINGS: Readonly<Record<string, string>> = {
  statusintervall: 'statusInterval',
  statusintervals: 'statusInterval',
  interval: 'statusInterval',
  nodeamon: 'nodaemon',
  nodemon: 'nodaemon',
  daemon: 'nodaemon',
  log: 'logfile',
  logpath: 'logfile',
  status: 'statusFile',
  statuspath: 'statusFile',
  pid: 'pidfile',
  excludes: 'exclude',
  excludefile: 'excludeFrom',
  excludesfrom: 'excludeFrom',
  excludesfile: 'excludeFrom',
  filters: 'filter',
  filterfile: 'filterFrom',
  filtersfrom: 'filterFrom',
  src: 'source',
  sourcedir: 'source',
  dest: 'target',
  destination: 'target',
  targetpath: 'targetdir',
  remotedir: 'targetdir',
  hostname: 'host',
  remotehost: 'host',
  server: 'host',
  delays: 'delay',
  maxprocess: 'maxProcesses',
  processes: 'maxProcesses',
  maxdelay: 'maxDelays',
  maxdeletions: 'maxDeletes',
  deletelimit: 'maxDeletes',
  maxdeletepct: 'maxDeletePercent',
  maxdeletepercentage: 'maxDeletePercent',
  deletepercent: 'maxDeletePercent',
  trashretention: 'trashDays',
  keeptrashdays: 'trashDays',
  reconciliation: 'reconcile',
  reconcilepolicy: 'reconcile',
  identity: 'identityFile',
  identityfiles: 'identityFile',
  keyfile: 'identityFile',
  key: 'identityFile',
  option: 'options',
  extra: '_extra',
  bandwidth: 'bwlimit',
  bwlimits: 'bwlimit',
  passwordfile: 'password_file',
  tempdir: 'temp_dir',
  tmpdir: 'temp_dir',
  backupdir: 'backup_dir',
  rsyncpath: 'rsync_path',
  hardlinks: 'hard_links',
  wholefile: 'whole_file',
  dryrun: 'dry_run',
  path: 'binary',
};

/** Lowercase without '_' and '-', so exclude_from, excludefrom and excludeFrom compare equal. */
function normalise(word: string): string {
  return word.toLowerCase().replace(/[_-]/g, '');
}

export function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The candidate the user most likely meant by `word`, or undefined. */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  const wanted = normalise(word);
  const exact = candidates.find((candidate) => normalise(candidate) === wanted);
  if (exact !== undefined) return exact;
  const known = MISSPELLINGS[wanted];
  if (known !== undefined && candidates.includes(known)) return known;
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = levenshtein(wanted, normalise(candidate));
    if (distance <= 2 && distance < wanted.length && (best === undefined || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

/** " (did you mean 'x'?)" or nothing. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const guess = suggest(word, candidates);
  return guess === undefined ? '' : ` (did you mean '${guess}'?)`;
}
