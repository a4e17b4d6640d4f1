import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { enableAutostart } from '../../src-main/services/desktop/autostart';

// GLib is what GNOME, Xfce and most session managers parse autostart entries with: `gio launch`
// runs our entry, and a recorder script says which argv it received. The oracle is the real
// parser, not our reading of the spec.
const gio = ['/usr/bin/gio', '/bin/gio'].find((path) => existsSync(path));
const skipReason = gio ? null : 'autostart round trip skipped: no gio (apt-get install libglib2.0-bin)';
if (skipReason) console.warn(skipReason);

describe.skipIf(skipReason !== null)('autostart entry as GLib reads it', () => {
  let root: string;
  let recorder: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'tidemark-gio-'));
    // The program itself lives at a hostile path.
    const dir = join(root, `My "Apps" $HOME \`id\` 100% ann's\\dir`);
    await mkdir(dir);
    recorder = join(dir, 'record.sh');
    await writeFile(recorder, '#!/bin/sh\nprintf \'%s\\0\' "$@" > "$(dirname "$0")/argv.tmp" && mv "$(dirname "$0")/argv.tmp" "$(dirname "$0")/argv"\n');
    await chmod(recorder, 0o755);
  });
  afterAll(async () => rm(root, { recursive: true, force: true }));

  it('passes every argv word through unchanged', async () => {
    const args = ['plain', 'two words', 'dq"', "sq'", '$HOME', '`id`', 'back\\slash', '100%', '%u', '', 'josé', 'a;b|c&d>e<f~g*h?i#j(k)', '  lead and trail  '];
    const autostartDir = join(root, 'autostart');
    await enableAutostart(autostartDir, [recorder, ...args]);
    execFileSync(gio as string, ['launch', join(autostartDir, 'tidemark.desktop')], { timeout: 10_000, stdio: 'pipe' });
    const out = join(recorder, '..', 'argv');
    await expect.poll(() => existsSync(out), { timeout: 10_000 }).toBe(true);
    const received = (await readFile(out, 'utf8')).split('\0').slice(0, -1);
    expect(received).toEqual(args);
  });
});
