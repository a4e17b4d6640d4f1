// What a daemon costs, read from /proc: resident memory and inotify watches over its process tree.
import { readdirSync, readFileSync } from 'node:fs';

/** The pid and all its live descendants (scans the stat file of every /proc entry for parent links). */
export function processTree(rootPid) {
  const children = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat;
    try { stat = readFileSync(`/proc/${name}/stat`, 'utf8'); } catch { continue; }
    // Field 4 is the ppid; the command name (field 2) may hold spaces and parentheses, so parse after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid).push(Number(name));
  }
  const out = [];
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop();
    out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** Named kB fields of /proc/PID/status (VmRSS, VmHWM, ...), in bytes; null if the process is gone. */
export function memoryOf(pid) {
  let text;
  try { text = readFileSync(`/proc/${pid}/status`, 'utf8'); } catch { return null; }
  const field = (key) => {
    const m = text.match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm'));
    return m ? Number(m[1]) * 1024 : 0;
  };
  return { rss: field('VmRSS'), hwm: field('VmHWM'), name: (text.match(/^Name:\s+(.*)$/m) ?? [])[1] ?? '?' };
}

/** inotify watches held by one process: lines starting with 'inotify wd:' across its fdinfo entries. */
export function inotifyWatchesOf(pid) {
  let fds;
  try { fds = readdirSync(`/proc/${pid}/fdinfo`); } catch { return 0; }
  let count = 0;
  for (const fd of fds) {
    let info;
    try { info = readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'); } catch { continue; }
    if (!info.includes('inotify wd:')) continue;
    for (const line of info.split('\n')) if (line.startsWith('inotify wd:')) count++;
  }
  return count;
}

/**
 * A snapshot of the daemon's memory and watches: its main process and the sum over its tree.
 * `watches: false` skips the fdinfo read (10,000 watches are ~1 MB of text), for frequent sampling.
 */
export function sampleDaemon(pid, { watches: countWatches = true } = {}) {
  const pids = processTree(pid);
  const main = memoryOf(pid);
  let treeRss = 0;
  let watches = 0;
  const members = [];
  for (const p of pids) {
    const mem = memoryOf(p);
    if (!mem) continue;
    treeRss += mem.rss;
    if (countWatches) watches += inotifyWatchesOf(p);
    members.push({ pid: p, name: mem.name, rss: mem.rss });
  }
  return { mainRss: main?.rss ?? null, mainHwm: main?.hwm ?? null, treeRss, watches, processes: members };
}

/**
 * Sample the daemon's process tree every `intervalMs` until stopped, keeping the peaks: resident
 * memory of the main process and of the whole tree (the daemon plus its rsync children).
 * VmHWM (the kernel's own peak) covers the main process between samples; the tree peak is sampled.
 */
export function startSampler(pid, intervalMs = 100) {
  const peak = { mainRss: 0, treeRss: 0, samples: 0 };
  const tick = () => {
    const s = sampleDaemon(pid, { watches: false });
    if (s.mainRss === null) return;
    peak.samples++;
    peak.mainRss = Math.max(peak.mainRss, s.mainRss);
    peak.treeRss = Math.max(peak.treeRss, s.treeRss);
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  return {
    peak: () => { tick(); return { ...peak }; },
    stop: () => clearInterval(timer),
  };
}
