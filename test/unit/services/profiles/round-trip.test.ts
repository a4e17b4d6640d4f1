// import, export, import gives the same profile: every lsyncd config form LSYNCD.md lists, the
// tutorial's rsh form, and configs that set every key; and the profile runs as the config did.
import { describe, expect, it } from 'vitest';
import { evaluateLuaConfig } from '../../../../src-main/core/config/lua-sandbox';
import { validateLsyncdConfig } from '../../../../src-main/core/config/lsyncd-validate';
import type { SyncConfig, TidemarkConfig } from '../../../../src-main/core/config/model';
import { configToProfile, type ImportResult } from '../../../../src-main/services/profiles/config-to-profile';
import { parseProfileValue } from '../../../../src-main/services/profiles/profile-parse';
import { profileToConfig } from '../../../../src-main/services/profiles/profile-to-config';
import { profileToLua } from '../../../../src-main/services/profiles/profile-to-lua';

const FILE = '/etc/lsyncd/lsyncd.conf.lua';
const HOMES = ['/home', '/root', '/home/u'];

/** A config text through the sandbox, the Lua loader's checks and the import mapping. */
async function importText(text: string, files: Record<string, string> = {}): Promise<ImportResult & { config: TidemarkConfig }> {
  const raw = await evaluateLuaConfig(text, FILE, { env: { HOME: '/home/u' } });
  const config = validateLsyncdConfig(raw, FILE, { cwd: '/work', homes: HOMES, readFile: (path) => files[path] ?? '' });
  return { ...configToProfile(raw, config), config };
}

/** A config as the engine sees it, without what cannot survive a mapping (where it was written). */
function comparable(config: TidemarkConfig): unknown {
  return {
    settings: config.settings,
    syncs: config.syncs.map(({ origin: _origin, ...sync }: SyncConfig) => ({ ...sync, rsync: { ...sync.rsync, flags: Object.fromEntries(Object.entries(sync.rsync.flags).filter(([flag, on]) => !(flag === 'perms' && on))) } })),
  };
}

const everySyncKey = `
settings {
  logfile = "/var/log/tidemark.log", statusFile = "/var/log/tidemark.status", statusInterval = 3,
  nodaemon = true, pidfile = "/run/tidemark.pid", insist = true, inotifyMode = "CloseWrite or Modify",
  logfacility = "daemon", logident = "mirror",
}
sync {
  default.rsync,
  source = "/srv/www/",
  target = "/backup/www",
  delay = 2.5, maxDelays = 50, maxProcesses = 3, delete = "startup", init = false,
  filter = { "+ keep.tmp", "- *.tmp", "- /cache/" },
  rsync = { archive = true, compress = true, hard_links = true, acls = true, xattrs = true, checksum = true,
    perms = false, bwlimit = 2000, chmod = "D755,F644", timeout = 30, temp_dir = "/var/tmp", binary = "/usr/local/bin/rsync",
    _extra = { "--omit-dir-times", "--modify-window=2" } },
  watcher = "poll", reconcile = "keep", maxDeletes = 250, maxDeletePercent = 12.5, maxDeleteWindow = 5,
  trash = true, trashDays = 7,
}`;

const cases: { description: string; config: string; files?: Record<string, string> }[] = [
  { description: 'the smallest default.rsync', config: 'sync { default.rsync, source = "/src", target = "/dst" }' },
  {
    description: "the seed tutorial: default.rsyncssh with rsync's rsh, host-key checking off",
    config: `settings {
  logfile = "/var/log/lsyncd/lsyncd.log",
  statusFile = "/var/log/lsyncd/lsyncd.status"
}
sync {
  default.rsyncssh,
  source = "/var/www/html",
  host = "webuser@192.168.1.20",
  targetdir = "/var/www/html",
  delete = true,
  exclude = { ".git", "*.swp" },
  rsync = { archive = true, compress = true, rsh = "/usr/bin/ssh -l webuser -i /home/u/.ssh/id_rsa -o StrictHostKeyChecking=no" },
}`,
  },
  { description: 'the old settings = {...} form, with a string exclude', config: 'settings = { nodaemon = true, statusInterval = 1 }\nsync { default.direct, source = "/src", target = "/dst", exclude = "*.bak" }' },
  { description: 'settings{} with a list entry (nodaemon) and overriding maxDelays and maxProcesses', config: "settings { 'nodaemon', maxDelays = 7, maxProcesses = 2 }\nsync { default.rsync, source = '/src', target = '/dst', maxDelays = 100, maxProcesses = 4 }" },
  { description: 'default.rsync to host:dir with an ssh table', config: 'sync { default.rsync, source = "/src", target = "backup@nas.lan:/volume1/src", ssh = { port = "2222", identityFile = "/etc/tidemark/id", options = { ConnectTimeout = 5 }, binary = "/usr/bin/ssh", _extra = { "-4" } } }' },
  { description: 'an IPv6 host:dir', config: 'sync { default.rsync, source = "/src", target = "u@[2001:db8:0:0:0:0:0:1]:mirror/src" }' },
  { description: 'rsyncssh to an ssh_config alias, delete running', config: 'sync { default.rsyncssh, source = "/src", host = "web1", targetdir = "www", delete = "running", delay = 0 }' },
  { description: 'rsync daemon modules in both forms', config: 'sync { default.rsync, source = "/a", target = "rsync://mirror@127.0.0.1:8730/mirror/a" }\nsync { default.rsync, source = "/b", target = "nas::backup/b", rsync = { password_file = "/etc/tidemark/nas.secret" } }' },
  { description: 'syncs made by a Lua loop', config: 'for _, name in ipairs({ "www", "mail", "db" }) do\n  sync { default.rsync, source = "/srv/" .. name, target = "/backup/" .. name, delay = 1 }\nend' },
  { description: 'a shared table inherited through a list entry', config: 'local common = { delay = 3, exclude = { "*.o" }, reconcile = "pull" }\nsync { default.rsync, common, source = "/src", target = "/dst" }' },
  { description: 'excludeFrom and filterFrom files, inlined', config: 'sync { default.rsync, source = "/src", target = "/dst", excludeFrom = "/etc/ex", filterFrom = "/etc/fi" }', files: { '/etc/ex': '*.log\n# note\n', '/etc/fi': '+ keep.log\n- *.cache\n' } },
  { description: 'every settings key and every sync key Tidemark reads', config: everySyncKey },
  { description: 'maxDeletes and maxDeletePercent off, trash without days', config: 'sync { default.rsyncssh, source = "/src", host = "u@h", targetdir = "/d", maxDeletes = false, maxDeletePercent = false, trash = true }' },
  { description: 'names that need escaping in Lua', config: 'sync { default.rsync, source = "/src/a \\"quoted\\" \\\\ dir\\tx", target = "/dst/ünï cödé", exclude = { "]", "*[ab]\\\\*", "new\\nline" } }' },
];

describe('import, export, import gives the same profile', () => {
  for (const c of cases) {
    it(c.description, async () => {
      const first = await importText(c.config, c.files);
      const lua = profileToLua('round', first.profile);
      const second = await importText(lua);
      expect(second.profile).toEqual(first.profile);
      // The profile is valid as a file, and runs as the config did.
      expect(parseProfileValue(JSON.parse(JSON.stringify(first.profile)), 'round.json')).toEqual(first.profile);
      expect(comparable(profileToConfig(first.profile, 'round.json', { homes: HOMES }))).toEqual(comparable(first.config));
      // The exported text runs as the profile does, Tidemark's own keys included.
      expect(comparable(second.config)).toEqual(comparable(first.config));
    });
  }

  it('pairing keys and a disabled profile survive the round trip, and the pinned known_hosts reaches ssh', async () => {
    const profile = parseProfileValue(
      {
        enabled: false,
        syncs: [{ source: '/src', target: { kind: 'ssh', host: 'example.org', user: 'deploy', port: 2200, dir: '/srv/src', keyName: 'site-ed25519', knownHosts: '/home/u/.config/tidemark/known_hosts' }, ssh: { options: { ServerAliveInterval: '10' } } }],
      },
      'paired.json',
    );
    const lua = profileToLua('paired', profile);
    expect(lua).toContain('-- tidemark pairing: {"keyName":"site-ed25519","knownHosts":"/home/u/.config/tidemark/known_hosts"}');
    expect(lua).toContain('StrictHostKeyChecking = "yes"');
    const back = await importText(lua);
    expect(back.profile).toEqual({ ...profile, syncs: [{ ...profile.syncs[0], kind: 'rsyncssh', delay: 15, delete: true }] });
    expect(back.config.syncs[0]?.ssh.options).toEqual({ ServerAliveInterval: '10', UserKnownHostsFile: '/home/u/.config/tidemark/known_hosts', StrictHostKeyChecking: 'yes' });
  });
});

describe('what import says about each key', () => {
  it('names each key with its line, and what was not carried over', async () => {
    const { notes } = await importText(`settings { logfile = "/var/log/t.log" }
sync {
  default.rsync,
  source = "/src",
  target = "/dst",
  excludeFrom = "/etc/ex",
  rsync = { perms = true, compress = true },
  ssh = { port = 22 },
}`);
    const shown = notes.map((note) => `${note.line} ${note.key} ${note.kind}: ${note.detail}`);
    expect(shown).toEqual([
      '1 settings.logfile mapped: $.settings.logfile',
      '2 default.rsync mapped: $.syncs[0].kind',
      '4 source mapped: $.syncs[0].source',
      '5 target mapped: $.syncs[0].target',
      "6 excludeFrom not-mapped: the file is not linked: its rules were copied into $.syncs[0].filters, so later edits of it do not apply",
      '7 rsync.compress mapped: $.syncs[0].rsync.compress',
      "7 rsync.perms not-mapped: Tidemark's default already (lsyncd's is off): not stored",
      '8 ssh.port not-mapped: the target is not reached over ssh',
    ]);
  });
});
