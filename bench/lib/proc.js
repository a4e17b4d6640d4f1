// What a daemon costs, read from /proc: resident memory and inotify watches over its process tree.
import { readdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

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

let clockTicks = null;
/** The kernel's clock ticks per second (USER_HZ), for /proc/PID/stat's times. */
function ticksPerSecond() {
  if (clockTicks === null) {
    try { clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8', timeout: 5000 }).trim()) || 100; } catch { clockTicks = 100; }
  }
  return clockTicks;
}

/**
 * CPU seconds of one process from /proc/PID/stat: `self` (its own user + system time) and `children`
 * (that of its children it has waited for: every rsync a daemon ran and reaped, with rsync's own
 * helpers). Split into user and system. Null when the process is gone.
 */
export function cpuOf(pid) {
  let stat;
  try { stat = readFileSync(`/proc/${pid}/stat`, 'utf8'); } catch { return null; }
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const hz = ticksPerSecond();
  // After the ')': field 3 is index 0, so utime (14) is 11, stime 12, cutime 13, cstime 14.
  const [utime, stime, cutime, cstime] = [f[11], f[12], f[13], f[14]].map((x) => Number(x) / hz);
  return { self: utime + stime, selfUser: utime, selfSys: stime, children: cutime + cstime, childrenUser: cutime, childrenSys: cstime };
}

/** b - a, field by field (CPU spent between two cpuOf readings). */
export function cpuDelta(a, b) {
  if (!a || !b) return null;
  return Object.fromEntries(Object.keys(a).map((k) => [k, b[k] - a[k]]));
}
