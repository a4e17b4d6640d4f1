import { describe, expect, it } from 'vitest';
import { applyCliOverrides, configFromInline, parseLsyncdArgs, type CliOverrides, type InlineSync, type ParsedArgs } from '../../../src-main/core/config/cli-args';
import { ConfigError, type TidemarkConfig } from '../../../src-main/core/config/model';
import { expectedSync } from './import-config';

/** Overrides with no -log given, plus `fields`. */
function overrides(fields: Partial<CliOverrides> = {}): CliOverrides {
  return { log: [], ...fields };
}

const RECONCILE = 'ask, pull, keep, trash or delete';

const PARSE: { description: string; argv: readonly string[]; expected: ParsedArgs }[] = [
  { description: 'a config file alone', argv: ['/etc/lsyncd/lsyncd.conf.lua'], expected: { kind: 'config', file: '/etc/lsyncd/lsyncd.conf.lua', overrides: overrides() } },
  { description: "Tidemark's run CONFIG form", argv: ['run', 'lsyncd.conf.lua'], expected: { kind: 'config', file: 'lsyncd.conf.lua', overrides: overrides() } },
  { description: '-rsync SRC TGT', argv: ['-rsync', '/src', '/dst'], expected: { kind: 'inline', syncs: [{ kind: 'rsync', source: '/src', target: '/dst' }], overrides: overrides() } },
  {
    description: '-rsyncssh SRC HOST DIR',
    argv: ['-rsyncssh', '/src', 'deploy@web1', '/srv/www'],
    expected: { kind: 'inline', syncs: [{ kind: 'rsyncssh', source: '/src', host: 'deploy@web1', targetdir: '/srv/www' }], overrides: overrides() },
  },
  { description: '-direct SRC DIR', argv: ['-direct', '/src', '/mnt/backup'], expected: { kind: 'inline', syncs: [{ kind: 'direct', source: '/src', target: '/mnt/backup' }], overrides: overrides() } },
  {
    description: 'several inline syncs with options between them',
    argv: ['-rsync', '/a', 'web1:/a', '-nodaemon', '-direct', '/b', '/c'],
    expected: {
      kind: 'inline',
      syncs: [
        { kind: 'rsync', source: '/a', target: 'web1:/a' },
        { kind: 'direct', source: '/b', target: '/c' },
      ],
      overrides: overrides({ nodaemon: true }),
    },
  },
  { description: '-nodaemon', argv: ['-nodaemon', 'c.lua'], expected: { kind: 'config', file: 'c.lua', overrides: overrides({ nodaemon: true }) } },
  { description: '-insist', argv: ['-insist', 'c.lua'], expected: { kind: 'config', file: 'c.lua', overrides: overrides({ insist: true }) } },
  { description: '-delay N', argv: ['-delay', '5', 'c.lua'], expected: { kind: 'config', file: 'c.lua', overrides: overrides({ delay: 5 }) } },
  { description: '-delay 0 and fractions', argv: ['-delay', '0.5', 'c.lua'], expected: { kind: 'config', file: 'c.lua', overrides: overrides({ delay: 0.5 }) } },
  { description: '-log all', argv: ['-log', 'all', 'c.lua'], expected: { kind: 'config', file: 'c.lua', overrides: overrides({ log: ['all'] }) } },
  { description: '-log scarce', argv: ['-log', 'scarce', 'c.lua'], expected: { kind: 'config', file: 'c.lua', overrides: overrides({ log: ['scarce'] }) } },
  { description: '-log Category, several in order', argv: ['-log', 'Delay', '-log', 'Exec', 'c.lua'], expected: { kind: 'config', file: 'c.lua', overrides: overrides({ log: ['Delay', 'Exec'] }) } },
  { description: '-logfile F', argv: ['-logfile', '/var/log/l.log', 'c.lua'], expected: { kind: 'config', file: 'c.lua', overrides: overrides({ logfile: '/var/log/l.log' }) } },
  { description: '-pidfile F', argv: ['-pidfile', '/run/l.pid', 'c.lua'], expected: { kind: 'config', file: 'c.lua', overrides: overrides({ pidfile: '/run/l.pid' }) } },
  { description: 'options after the config file (lsyncd CONFIG -log all)', argv: ['c.lua', '-log', 'all', '-nodaemon'], expected: { kind: 'config', file: 'c.lua', overrides: overrides({ log: ['all'], nodaemon: true }) } },
  {
    description: 'options before and after the config file, two dashes too',
    argv: ['--nodaemon', '-logfile', 'l.log', 'c.lua', '--delay', '3', '-insist', '-pidfile', 'p.pid'],
    expected: { kind: 'config', file: 'c.lua', overrides: overrides({ nodaemon: true, logfile: 'l.log', delay: 3, insist: true, pidfile: 'p.pid' }) },
  },
  ...(['ask', 'pull', 'keep', 'trash', 'delete'] as const).map((reconcile) => ({
    description: `-reconcile ${reconcile}`,
    argv: ['-reconcile', reconcile, 'c.lua'],
    expected: { kind: 'config', file: 'c.lua', overrides: overrides({ reconcile }) } as const,
  })),
  { description: '--reconcile ACTION', argv: ['c.lua', '--reconcile', 'keep'], expected: { kind: 'config', file: 'c.lua', overrides: overrides({ reconcile: 'keep' }) } },
  { description: '--reconcile=ACTION', argv: ['--reconcile=pull', 'c.lua'], expected: { kind: 'config', file: 'c.lua', overrides: overrides({ reconcile: 'pull' }) } },
  { description: '-reconcile=ACTION (one dash) too', argv: ['c.lua', '-reconcile=trash'], expected: { kind: 'config', file: 'c.lua', overrides: overrides({ reconcile: 'trash' }) } },
  { description: 'the last -reconcile wins', argv: ['-reconcile', 'ask', 'c.lua', '--reconcile=delete'], expected: { kind: 'config', file: 'c.lua', overrides: overrides({ reconcile: 'delete' }) } },
  {
    description: '-reconcile with inline syncs',
    argv: ['-reconcile', 'keep', '-direct', '/src', '/mnt/backup'],
    expected: { kind: 'inline', syncs: [{ kind: 'direct', source: '/src', target: '/mnt/backup' }], overrides: overrides({ reconcile: 'keep' }) },
  },
  { description: '--delay=N (any one-value option takes =)', argv: ['--delay=2', 'c.lua'], expected: { kind: 'config', file: 'c.lua', overrides: overrides({ delay: 2 }) } },
  { description: '-version', argv: ['-version'], expected: { kind: 'version' } },
  { description: '--version after a config file', argv: ['c.lua', '--version'], expected: { kind: 'version' } },
  { description: 'no arguments shows help', argv: [], expected: { kind: 'help' } },
  { description: '-help anywhere wins', argv: ['c.lua', '-bogus', '-help'], expected: { kind: 'help' } },

  // errors
  { description: 'an unknown option', argv: ['-frobnicate', 'c.lua'], expected: { kind: 'error', message: "unknown option '-frobnicate'; see -help" } },
  { description: 'a misspelt option gets a suggestion', argv: ['c.lua', '-nodeamon'], expected: { kind: 'error', message: "unknown option '-nodeamon' (did you mean '-nodaemon'?); see -help" } },
  { description: 'an lsyncd 2.3 option (-onepass) is unknown', argv: ['-onepass', 'c.lua'], expected: { kind: 'error', message: "unknown option '-onepass'; see -help" } },
  { description: '-rsync with one argument', argv: ['-rsync', '/src'], expected: { kind: 'error', message: '-rsync needs 2 arguments (SRC TGT)' } },
  { description: '-rsyncssh with two arguments', argv: ['-rsyncssh', '/src', 'web1'], expected: { kind: 'error', message: '-rsyncssh needs 3 arguments (SRC HOST DIR)' } },
  { description: '-direct followed by an option', argv: ['-direct', '/src', '-nodaemon'], expected: { kind: 'error', message: "-direct needs 2 arguments (SRC DIR), got option '-nodaemon'" } },
  { description: '-log at the end', argv: ['c.lua', '-log'], expected: { kind: 'error', message: '-log needs a value' } },
  { description: '-logfile followed by an option', argv: ['-logfile', '-nodaemon', 'c.lua'], expected: { kind: 'error', message: "-logfile needs a value, got option '-nodaemon'" } },
  { description: '-pidfile at the end', argv: ['c.lua', '-pidfile'], expected: { kind: 'error', message: '-pidfile needs a value' } },
  { description: '-delay with no number', argv: ['-delay', 'soon', 'c.lua'], expected: { kind: 'error', message: "-delay needs a number of seconds >= 0 (got 'soon')" } },
  { description: '-delay at the end', argv: ['c.lua', '-delay'], expected: { kind: 'error', message: '-delay needs a value' } },
  { description: '-reconcile with a bad action', argv: ['-reconcile', 'merge', 'c.lua'], expected: { kind: 'error', message: `-reconcile needs one of ${RECONCILE} (got 'merge')` } },
  { description: '--reconcile with a bad action', argv: ['c.lua', '--reconcile', 'Ask'], expected: { kind: 'error', message: `-reconcile needs one of ${RECONCILE} (got 'Ask')` } },
  { description: '--reconcile= with a bad action', argv: ['--reconcile=wipe', 'c.lua'], expected: { kind: 'error', message: `-reconcile needs one of ${RECONCILE} (got 'wipe')` } },
  { description: '--reconcile= with nothing after =', argv: ['--reconcile=', 'c.lua'], expected: { kind: 'error', message: `-reconcile needs one of ${RECONCILE} (got '')` } },
  { description: '-reconcile at the end', argv: ['c.lua', '-reconcile'], expected: { kind: 'error', message: `-reconcile needs a value (${RECONCILE})` } },
  { description: '--reconcile followed by an option', argv: ['--reconcile', '-nodaemon', 'c.lua'], expected: { kind: 'error', message: `-reconcile needs a value (${RECONCILE}), got option '-nodaemon'` } },
  { description: 'a misspelt -reconcile gets a suggestion', argv: ['-reconcil', 'ask', 'c.lua'], expected: { kind: 'error', message: "unknown option '-reconcil' (did you mean '-reconcile'?); see -help" } },
  { description: 'a misspelt --reconcile= gets a suggestion', argv: ['--reconsile=ask', 'c.lua'], expected: { kind: 'error', message: "unknown option '--reconsile=ask' (did you mean '-reconcile'?); see -help" } },
  { description: '--nodaemon=VALUE is refused', argv: ['--nodaemon=yes', 'c.lua'], expected: { kind: 'error', message: "-nodaemon takes no value, got '--nodaemon=yes'" } },
  { description: '-rsync=SRC is refused', argv: ['-rsync=/src', '/dst'], expected: { kind: 'error', message: "-rsync takes 2 separate arguments (SRC TGT), got '-rsync=/src'" } },
  { description: 'no config file', argv: ['-nodaemon'], expected: { kind: 'error', message: 'no config file given (or use -rsync SRC TGT, -rsyncssh SRC HOST DIR, -direct SRC DIR)' } },
  { description: 'two config files', argv: ['a.lua', 'b.lua'], expected: { kind: 'error', message: "only one config file can be given (got 'a.lua', 'b.lua')" } },
  {
    description: 'a config file and inline syncs',
    argv: ['c.lua', '-rsync', '/src', '/dst'],
    expected: { kind: 'error', message: "a config file ('c.lua') and command-line syncs (-rsync, -rsyncssh, -direct) cannot be used together" },
  },
  { description: 'run without a config', argv: ['run'], expected: { kind: 'error', message: 'run needs a config file, as in: tidemark run /etc/lsyncd/lsyncd.conf.lua' } },
];

describe('parseLsyncdArgs', () => {
  for (const { description, argv, expected } of PARSE) {
    it(description, () => {
      expect(parseLsyncdArgs(argv)).toEqual(expected);
    });
  }
});

const CLI = '<command line>';

const INLINE: { description: string; syncs: readonly InlineSync[]; overrides?: CliOverrides; expected: TidemarkConfig }[] = [
  {
    description: '-rsync SRC TGT becomes a default.rsync sync with its defaults',
    syncs: [{ kind: 'rsync', source: '/src', target: '/dst' }],
    expected: {
      settings: { statusInterval: 10, nodaemon: false, insist: false, inotifyMode: 'CloseWrite' },
      syncs: [{ ...expectedSync('rsync', 1, {}), origin: { file: CLI, line: 1 } }],
    },
  },
  {
    description: '-rsync to host:dir targets ssh',
    syncs: [{ kind: 'rsync', source: '/src', target: 'web1:/srv' }],
    expected: {
      settings: { statusInterval: 10, nodaemon: false, insist: false, inotifyMode: 'CloseWrite' },
      syncs: [{ ...expectedSync('rsync', 1, { target: { kind: 'ssh', host: 'web1', dir: '/srv' } }), origin: { file: CLI, line: 1 } }],
    },
  },
  {
    description: '-rsyncssh and -direct with relative paths (against cwd), -delay and -nodaemon applied',
    syncs: [
      { kind: 'rsyncssh', source: 'www', host: 'deploy@web1', targetdir: 'srv' },
      { kind: 'direct', source: 'www', target: '../backup' },
    ],
    overrides: overrides({ delay: 2, nodaemon: true, logfile: 'l.log' }),
    expected: {
      settings: { statusInterval: 10, nodaemon: true, insist: false, inotifyMode: 'CloseWrite', logfile: '/work/l.log' },
      syncs: [
        { ...expectedSync('rsyncssh', 1, { source: '/work/www', target: { kind: 'ssh', host: 'deploy@web1', dir: 'srv' }, delay: 2 }), origin: { file: CLI, line: 1 } },
        { ...expectedSync('direct', 1, { source: '/work/www', target: { kind: 'local', dir: '/backup' }, delay: 2 }), origin: { file: CLI, line: 1 } },
      ],
    },
  },
  {
    description: '-reconcile reaches every command-line sync',
    syncs: [
      { kind: 'rsync', source: '/src', target: '/dst' },
      { kind: 'direct', source: '/src', target: '/mnt/backup' },
    ],
    overrides: overrides({ reconcile: 'trash' }),
    expected: {
      settings: { statusInterval: 10, nodaemon: false, insist: false, inotifyMode: 'CloseWrite' },
      syncs: [
        { ...expectedSync('rsync', 1, { reconcile: 'trash' }), origin: { file: CLI, line: 1 } },
        { ...expectedSync('direct', 1, { target: { kind: 'local', dir: '/mnt/backup' }, reconcile: 'trash' }), origin: { file: CLI, line: 1 } },
      ],
    },
  },
];

describe('configFromInline', () => {
  for (const { description, syncs, overrides: given, expected } of INLINE) {
    it(description, () => {
      expect(configFromInline(syncs, given, { cwd: '/work' })).toEqual(expected);
    });
  }

  it('-direct to a remote target is refused through the same checks as a config', () => {
    expect(() => configFromInline([{ kind: 'direct', source: '/src', target: 'web1:/srv' }], overrides(), { cwd: '/work' })).toThrow(
      new ConfigError({ file: CLI, line: 1 }, "default.direct syncs to a local directory, but target 'web1:/srv' is remote; use default.rsync or default.rsyncssh"),
    );
  });
});

describe('applyCliOverrides', () => {
  const config: TidemarkConfig = {
    settings: { statusInterval: 10, nodaemon: false, insist: false, inotifyMode: 'CloseWrite', logfile: '/var/log/file.log', pidfile: '/run/file.pid' },
    syncs: [expectedSync('rsync', 1, { delay: 30 }), expectedSync('direct', 2, {})],
  };

  it('without options the config is unchanged', () => {
    expect(applyCliOverrides(config, overrides(), '/work')).toEqual(config);
  });

  it('command-line settings win over the file, files resolved against cwd, -delay on every sync', () => {
    const result = applyCliOverrides(config, overrides({ nodaemon: true, insist: true, logfile: 'cli.log', pidfile: '/run/cli.pid', delay: 4, log: ['all'] }), '/work');
    expect(result).toEqual({
      settings: { ...config.settings, nodaemon: true, insist: true, logfile: '/work/cli.log', pidfile: '/run/cli.pid' },
      syncs: [expectedSync('rsync', 1, { delay: 4 }), expectedSync('direct', 2, { delay: 4 })],
    });
  });

  it('-reconcile sets the policy of every sync, replacing the file\'s', () => {
    const withPolicy: TidemarkConfig = { ...config, syncs: [expectedSync('rsync', 1, { reconcile: 'ask', trash: true }), expectedSync('direct', 2, {})] };
    for (const reconcile of ['ask', 'pull', 'keep', 'trash', 'delete'] as const) {
      expect(applyCliOverrides(withPolicy, overrides({ reconcile }), '/work')).toEqual({
        settings: config.settings,
        syncs: [expectedSync('rsync', 1, { reconcile, trash: true }), expectedSync('direct', 2, { reconcile })],
      });
    }
  });

  it('without -reconcile the file\'s policy stays, and -delay leaves it alone', () => {
    const withPolicy: TidemarkConfig = { ...config, syncs: [expectedSync('rsync', 1, { reconcile: 'keep' }), expectedSync('direct', 2, {})] };
    expect(applyCliOverrides(withPolicy, overrides({ delay: 1 }), '/work').syncs).toEqual([expectedSync('rsync', 1, { reconcile: 'keep', delay: 1 }), expectedSync('direct', 2, { delay: 1 })]);
  });

  it('-nodaemon absent does not turn off nodaemon = true from the file', () => {
    const daemonless = { ...config, settings: { ...config.settings, nodaemon: true } };
    expect(applyCliOverrides(daemonless, overrides({ insist: true }), '/work').settings.nodaemon).toBe(true);
  });
});
