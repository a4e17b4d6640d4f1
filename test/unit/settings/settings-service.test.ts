import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_APP_SETTINGS, type AppSettings } from '../../../src-shared/model/app-settings';
import { SettingsFileError, SettingsService } from '../../../src-main/services/settings/settings-service';
import { autostartEnabled } from '../../../src-main/services/desktop/autostart';

let root: string;
let configDir: string;
let file: string;
let autostartDir: string;
const launchCommand = ['/opt/Tidemark/tidemark', '--autostart'];

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'tidemark-settings-'));
  configDir = join(root, 'config', 'tidemark');
  file = join(configDir, 'settings.json');
  autostartDir = join(root, 'config', 'autostart');
});
afterEach(async () => rm(root, { recursive: true, force: true }));

const service = (options: Partial<{ file: string; autostartDir: string }> = {}) => new SettingsService({ file, autostartDir, launchCommand, ...options });

/** Writes the settings file by hand, as a user would. */
async function handWrite(text: string): Promise<void> {
  await mkdir(configDir, { recursive: true });
  await writeFile(file, text);
}

describe('get', () => {
  it('gives the defaults when there is no file, and writes nothing', async () => {
    await expect(service().get()).resolves.toEqual(DEFAULT_APP_SETTINGS);
    await expect(stat(root + '/config')).rejects.toThrow(/ENOENT/);
  });

  it('fills keys an older file lacks with their defaults', async () => {
    await handWrite(JSON.stringify({ notifications: { halt: false }, defaults: { delay: 5 } }));
    const settings = await service().get();
    expect(settings.notifications).toEqual({ ...DEFAULT_APP_SETTINGS.notifications, halt: false });
    expect(settings.defaults).toEqual({ ...DEFAULT_APP_SETTINGS.defaults, delay: 5 });
    expect(settings.lsyncdConfigs).toEqual([]);
  });

  const invalid: { description: string; text: string; error: RegExp }[] = [
    { description: 'a wrong type names the key', text: '{"notifications": {"halt": "yes"}}', error: /settings\.json: notifications\.halt: .*boolean/ },
    { description: 'an unknown key (a typo) names it', text: '{"startAtlogin": true}', error: /settings\.json: startAtlogin: / },
    { description: 'a relative lsyncd config names the entry', text: '{"lsyncdConfigs": ["etc/lsyncd.conf"]}', error: /settings\.json: lsyncdConfigs\.0: must be an absolute path/ },
    { description: 'broken JSON says so', text: '{"startAtLogin": tru', error: /settings\.json: not valid JSON/ },
    { description: 'a JSON array is not settings', text: '[]', error: /settings\.json: the settings must be a JSON object/ },
  ];
  for (const testCase of invalid) {
    it(`refuses a file that does not validate: ${testCase.description}`, async () => {
      await handWrite(testCase.text);
      const error = await service().get().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(SettingsFileError);
      expect((error as Error).message).toMatch(testCase.error);
      expect((error as Error).message).toContain(file);
    });
  }
});

describe('an invalid file is never overwritten', () => {
  it('set() refuses with the same error and leaves the file as the user wrote it', async () => {
    await handWrite('{"notifications": {"halt": "yes"}}');
    await expect(service().set({ startAtLogin: true })).rejects.toThrow(/notifications\.halt/);
    expect(await readFile(file, 'utf8')).toBe('{"notifications": {"halt": "yes"}}');
    expect(await autostartEnabled(autostartDir)).toBe(false);
  });

  it('read() gives the defaults and the problem, so the app can still start', async () => {
    await handWrite('{"notifications": {"halt": "yes"}}');
    const { settings, problem } = await service().read();
    expect(settings).toEqual(DEFAULT_APP_SETTINGS);
    expect(problem).toMatch(/settings\.json: notifications\.halt: .*; fix or remove the file/);
  });

  it('read() has no problem with a valid file', async () => {
    await expect(service().read()).resolves.toEqual({ settings: DEFAULT_APP_SETTINGS, problem: null });
  });
});

describe('set', () => {
  it('merges notifications and defaults key by key and keeps the rest', async () => {
    const settings = service();
    await settings.set({ lsyncdConfigs: ['/etc/lsyncd/a.lua'] });
    await settings.set({ notifications: { 'caught-up': false } });
    const saved = await settings.set({ defaults: { delay: 3 } });
    const expected: AppSettings = {
      ...DEFAULT_APP_SETTINGS,
      notifications: { ...DEFAULT_APP_SETTINGS.notifications, 'caught-up': false },
      defaults: { ...DEFAULT_APP_SETTINGS.defaults, delay: 3 },
      lsyncdConfigs: ['/etc/lsyncd/a.lua'],
    };
    expect(saved).toEqual(expected);
    expect(await service().get()).toEqual(expected);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(expected);
  });

  it('writes the file 0600 in a 0700 directory, with no temp file left', async () => {
    const oldUmask = process.umask(0o022);
    try {
      await service().set({ notifications: { halt: false } });
    } finally {
      process.umask(oldUmask);
    }
    expect((await stat(configDir)).mode & 0o777).toBe(0o700);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(configDir)).toEqual(['settings.json']);
  });

  it('refuses a value the schema does not allow, saving nothing', async () => {
    await expect(service().set({ defaults: { delay: -1 } })).rejects.toThrow(/settings not saved: defaults\.delay/);
    await expect(stat(file)).rejects.toThrow(/ENOENT/);
  });

  it('serialises concurrent changes, losing none', async () => {
    const settings = service();
    await Promise.all([settings.set({ notifications: { halt: false } }), settings.set({ notifications: { error: false } }), settings.set({ defaults: { delay: 9 } })]);
    const saved = await settings.get();
    expect(saved.notifications).toMatchObject({ halt: false, error: false });
    expect(saved.defaults.delay).toBe(9);
  });

  it('tells onChange listeners the new settings, after saving, until they unsubscribe', async () => {
    const settings = service();
    const heard: AppSettings[] = [];
    const unsubscribe = settings.onChange((next) => heard.push(next));
    settings.onChange(() => {
      throw new Error('a broken listener');
    });
    await settings.set({ notifications: { halt: false } });
    await settings.set({ defaults: { delay: -1 } }).catch(() => undefined);
    unsubscribe();
    await settings.set({ notifications: { halt: true } });
    expect(heard.map((next) => next.notifications.halt)).toEqual([false]);
  });
});

describe('startAtLogin is the autostart entry', () => {
  it('set(true) writes the entry with the launch command; set(false) removes it', async () => {
    const settings = service();
    await settings.set({ startAtLogin: true });
    expect(await readFile(join(autostartDir, 'tidemark.desktop'), 'utf8')).toContain('Exec=/opt/Tidemark/tidemark --autostart\n');
    expect((await settings.get()).startAtLogin).toBe(true);
    await settings.set({ startAtLogin: false });
    expect(await autostartEnabled(autostartDir)).toBe(false);
    expect((await settings.get()).startAtLogin).toBe(false);
  });

  it('get() follows the entry when the user removes it outside the app', async () => {
    const settings = service();
    await settings.set({ startAtLogin: true });
    await rm(join(autostartDir, 'tidemark.desktop'));
    expect((await settings.get()).startAtLogin).toBe(false);
  });

  it('an entry that cannot be written leaves the settings as they were', async () => {
    await writeFile(join(root, 'not-a-dir'), '');
    const settings = service({ autostartDir: join(root, 'not-a-dir', 'autostart') });
    await settings.set({ notifications: { halt: false } });
    const before = await readFile(file, 'utf8');
    await expect(settings.set({ startAtLogin: true, notifications: { error: false } })).rejects.toThrow(/ENOTDIR/);
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  it('settings that cannot be saved take the new entry back', async () => {
    await writeFile(join(root, 'not-a-dir'), '');
    const settings = service({ file: join(root, 'not-a-dir', 'settings.json') });
    await expect(settings.set({ startAtLogin: true })).rejects.toThrow(/ENOTDIR/);
    expect(await autostartEnabled(autostartDir)).toBe(false);
  });
});
