// remote-rename: a directory of 50 × 4 MiB files (200 MiB) in the source, synced over SSH at startup;
// once it is on the target, the directory is renamed in the source. Time from the rename until the
// target has the new name with every file at full size and the old name gone; and whether the target
// kept its files (the inode of every target file before the rename is compared with the file under
// the new name after). A daemon that moves on the target keeps them; one that re-sends 200 MiB does not.
import { mkdirSync, renameSync, statSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { runMirrored } from '../session.js';
import { waitReady } from '../mirror.js';
import { waitFor, sleep } from '../util.js';

const FILES = 50;
const FILE_BYTES = 4 * 1024 * 1024;
const OLD = 'big';
const NEW = 'big-renamed';
const SETTLE_MS = 1000;

/** For each file name, its inode under root/dir when present with the full size; null if any is missing. */
function inodes(root, dir, names) {
  const out = {};
  for (const name of names) {
    const st = statSync(join(root, dir, name), { throwIfNoEntry: false });
    if (!st || !st.isFile() || st.size !== FILE_BYTES) return null;
    out[name] = st.ino;
  }
  return out;
}

export function renameScenario(opts) {
  const names = Array.from({ length: FILES }, (_, i) => `f${String(i).padStart(3, '0')}.bin`);
  return {
    name: 'remote-rename',
    description: `rename of a synced dir of ${FILES} × ${FILE_BYTES / 1024 / 1024} MiB, delay=0, over SSH`,
    repeat: opts.repeat,
    metrics: [
      { key: 'renameS', label: `dir rename (${FILES * FILE_BYTES / 1024 / 1024} MiB) → target converged`, unit: 's', goal: { kind: 'ratio', max: 1 } },
      { key: 'inodesChanged', label: `target files not kept (new inode, of ${FILES})`, unit: '', goal: { kind: 'abs', max: 0 } },
      { key: 'sshConnections', label: 'SSH connections opened (rename → converged)', unit: '' },
    ],
    async run(tool, env) {
      return runMirrored(tool, env, {
        syncExtra: 'delay = 0',
        remote: true,
        prepare: (m) => {
          // Random bytes, so no layer can compress them away; each file differs in its first bytes.
          const block = randomBytes(FILE_BYTES);
          mkdirSync(join(m.src, OLD));
          names.forEach((name, i) => {
            block.writeUInt32BE(i, 0);
            writeFileSync(join(m.src, OLD, name), block);
          });
          return {};
        },
        body: async (m, daemon, { connections }) => {
          await waitReady(m, daemon, { timeoutMs: 120_000 });
          const before = await waitFor(() => inodes(m.dst, OLD, names), {
            what: `${FILES} files of ${OLD}/ on the target`, timeoutMs: 120_000, intervalMs: 20, daemon,
          });
          await sleep(SETTLE_MS); // nothing of the startup sync still in flight
          const settled = inodes(m.dst, OLD, names);
          const connectionsBefore = connections();
          const t0 = performance.now();
          renameSync(join(m.src, OLD), join(m.src, NEW));
          let seen = 'nothing yet';
          await waitFor(() => {
            const now = inodes(m.dst, NEW, names);
            const oldThere = existsSync(join(m.dst, OLD));
            seen = `${NEW}/: ${now ? 'complete' : 'incomplete'}, ${OLD}/: ${oldThere ? 'still there' : 'gone'}`;
            return now && !oldThere;
          }, { what: `${NEW}/ complete and ${OLD}/ gone on the target`, timeoutMs: 120_000, intervalMs: 5, daemon })
            .catch((err) => { err.message += ` (last seen ${seen})`; throw err; });
          const renameS = (performance.now() - t0) / 1000;
          const renameConnections = connections() - connectionsBefore;
          await sleep(SETTLE_MS); // a rewrite right after the move would replace the inodes too
          const after = inodes(m.dst, NEW, names) ?? {};
          const inodesChanged = names.filter((n) => after[n] !== settled?.[n]).length;
          const leftovers = readdirSync(join(m.dst, NEW)).filter((n) => !names.includes(n));
          return {
            renameS,
            inodesChanged,
            sshConnections: renameConnections,
            startupInodesStable: JSON.stringify(before) === JSON.stringify(settled),
            leftovers,
          };
        },
      });
    },
  };
}
