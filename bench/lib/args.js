// Command-line options of `npm run bench` (node --expose-gc bench/run.js [options]).

export const USAGE = `Usage: npm run bench -- [options]

  --only LIST          scenarios to run, comma-separated (default all): latency, burst, scale, restart,
                       remote-latency, remote-burst, remote-rename, remote-scale, remote-restart
  --no-remote          skip the remote-* scenarios (they start a throwaway sshd on 127.0.0.1 and,
                       as root, a throwaway account tmbXXXX that is removed at the end)
  --tool T             tidemark | lsyncd | both (default both)
  --samples N          latency samples per tool (default 40)
  --repeat N           runs per tool of burst, scale, restart and remote-rename, per filesystem; the
                       median is reported (default 3)
  --burst-files N      files in the burst (default 5000)
  --burst-dirs N       directories in the burst (default 500)
  --scale-dirs N       directories in the scale and restart tree (default 10000)
  --scale-files N      files in the scale and restart tree (default 50000)
  --remote-scale-dirs N   directories in the remote-scale and remote-restart tree (default 10000)
  --remote-scale-files N  files in the remote-scale and remote-restart tree (default 50000)
  --disk               measure on the checkout's filesystem too (.bench/work, where sources live: a real
                       disk), after tmpfs; the table says which filesystem each row is from
  --fs LIST            filesystems to measure on, in order: tmpfs, disk (default tmpfs; --disk is tmpfs,disk)
  --work-dir DIR       measure on DIR's filesystem only (parent of the bench work dir); default: --fs
  --churn N            after the table, N seeds of 1,000 random operations against a local and an
                       rsyncssh target, the mass-delete breaker at its defaults: how many converged
                       (default 10; 0 skips it)
  --keep               keep the work dir (logs, configs, trees, remote-targets/) for inspection
  --json FILE          where to write the results (default .bench/latest.json)
  -h, --help           this text
`;

export const REMOTE_SCENARIOS = ['remote-latency', 'remote-burst', 'remote-rename', 'remote-scale', 'remote-restart'];
const SCENARIOS = ['latency', 'burst', 'scale', 'restart', ...REMOTE_SCENARIOS];
const TOOLS = ['tidemark', 'lsyncd', 'both'];
const FILESYSTEMS = ['tmpfs', 'disk'];

/** Parse argv into options; throws an Error with a readable message on bad input. */
export function parseArgs(argv) {
  const opts = {
    only: [...SCENARIOS],
    tool: 'both',
    samples: 40,
    repeat: 3,
    burstFiles: 5000,
    burstDirs: 500,
    scaleDirs: 10000,
    scaleFiles: 50000,
    remoteScaleDirs: 10000,
    remoteScaleFiles: 50000,
    noRemote: false,
    workDir: null,
    fs: ['tmpfs'],
    keep: false,
    json: '.bench/latest.json',
    help: false,
    churn: 10,
  };
  const ints = {
    '--samples': 'samples', '--repeat': 'repeat', '--burst-files': 'burstFiles', '--burst-dirs': 'burstDirs',
    '--scale-dirs': 'scaleDirs', '--scale-files': 'scaleFiles',
    '--remote-scale-dirs': 'remoteScaleDirs', '--remote-scale-files': 'remoteScaleFiles', '--churn': 'churn',
  };
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    let value;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) { value = arg.slice(eq + 1); arg = arg.slice(0, eq); }
    const next = () => {
      if (value !== undefined) return value;
      if (i + 1 >= argv.length) throw new Error(`${arg} needs a value`);
      return argv[++i];
    };
    if (arg === '-h' || arg === '--help') opts.help = true;
    else if (arg === '--keep') opts.keep = true;
    else if (arg === '--no-remote') opts.noRemote = true;
    else if (arg === '--disk') opts.fs = ['tmpfs', 'disk'];
    else if (arg === '--fs') {
      opts.fs = [...new Set(next().split(',').map((s) => s.trim()).filter(Boolean))];
      const bad = opts.fs.filter((s) => !FILESYSTEMS.includes(s));
      if (bad.length || !opts.fs.length) throw new Error(`--fs takes a list of ${FILESYSTEMS.join(', ')}; got ${bad.join(', ') || 'nothing'}`);
    }
    else if (arg === '--only') {
      opts.only = next().split(',').map((s) => s.trim()).filter(Boolean);
      const bad = opts.only.filter((s) => !SCENARIOS.includes(s));
      if (bad.length || !opts.only.length) throw new Error(`--only takes a list of ${SCENARIOS.join(', ')}; got ${bad.join(', ') || 'nothing'}`);
    } else if (arg === '--tool') {
      opts.tool = next();
      if (!TOOLS.includes(opts.tool)) throw new Error(`--tool takes ${TOOLS.join(' | ')}; got ${opts.tool}`);
    } else if (arg === '--work-dir') opts.workDir = next();
    else if (arg === '--json') opts.json = next();
    else if (arg in ints) {
      const raw = next();
      const n = Number(raw);
      const least = arg === '--churn' ? 0 : 1;
      if (!Number.isInteger(n) || n < least) throw new Error(`${arg} takes ${least === 0 ? 'a whole number' : 'a positive integer'}; got ${raw}`);
      opts[ints[arg]] = n;
    } else throw new Error(`unknown option ${arg}`);
  }
  if (opts.noRemote) {
    opts.only = opts.only.filter((s) => !REMOTE_SCENARIOS.includes(s));
    if (!opts.only.length) throw new Error('--no-remote leaves no scenario to run');
  }
  if (opts.scaleDirs > opts.scaleFiles) throw new Error('--scale-dirs must not exceed --scale-files');
  if (opts.remoteScaleDirs > opts.remoteScaleFiles) throw new Error('--remote-scale-dirs must not exceed --remote-scale-files');
  if (opts.burstDirs > opts.burstFiles) throw new Error('--burst-dirs must not exceed --burst-files');
  return opts;
}
