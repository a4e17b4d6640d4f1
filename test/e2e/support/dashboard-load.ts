// Load for the dashboard's smoothness test, measured inside the page. A 2-core machine cannot
// run rsync fast enough for the real core to send 10,000 status events a minute over 20 local
// targets (a snapshot goes out per transition, so the rate is bounded by rsync runs a second),
// so a probe installed before the app's scripts wraps the page's WebSocket: it counts every
// status:target message the app receives, keeps each target's latest real snapshot, and can
// feed the app's own socket handler extra snapshots derived from them (a transfer moving on, a
// change shipped) at a set rate, as JSON text that the app parses like any other message. It
// also collects requestAnimationFrame deltas. Playwright's init scripts and evaluate run through
// the DevTools protocol, outside the page's CSP.
import type { Page } from 'playwright-core';

interface Probe {
  received: number;
  injected: number;
  latest: Map<string, Record<string, unknown>>;
  sockets: { readyState: number; onmessage: ((event: { data: unknown }) => void) | null }[];
  frames: number[];
  stopFrames: boolean;
  feed: ReturnType<typeof setInterval> | null;
}

/** Installs the probe; takes effect on the next navigation (call page.reload() after). */
export async function installLoadProbe(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const probe: Probe = { received: 0, injected: 0, latest: new Map(), sockets: [], frames: [], stopFrames: true, feed: null };
    (globalThis as unknown as { tidemarkProbe: Probe }).tidemarkProbe = probe;
    const Native = globalThis.WebSocket;
    globalThis.WebSocket = class extends Native {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        probe.sockets.push(this as unknown as Probe['sockets'][number]);
        this.addEventListener('message', (event: MessageEvent) => {
          if (typeof event.data !== 'string' || !event.data.startsWith('{"event":"status:target"')) return;
          probe.received += 1;
          const payload = (JSON.parse(event.data) as { payload: Record<string, unknown> }).payload;
          probe.latest.set(String(payload.id), payload);
        });
      }
    };
  });
}

/** How many targets the probe has a real snapshot of. */
export function knownTargets(page: Page): Promise<number> {
  return page.evaluate(() => (globalThis as unknown as { tidemarkProbe: Probe }).tidemarkProbe.latest.size);
}

/** Starts collecting frame deltas and feeding `perSecond` derived snapshots, round robin over the targets. */
export async function startLoad(page: Page, perSecond: number): Promise<void> {
  await page.evaluate((rate) => {
    const probe = (globalThis as unknown as { tidemarkProbe: Probe }).tidemarkProbe;
    // Prepared up front so that feeding costs the page what a real message costs: parsing and rendering.
    const VARIANTS = 40;
    const now = Date.now();
    const texts = [...probe.latest.values()].map((base) => Array.from({ length: VARIANTS }, (_, step) => JSON.stringify({
      event: 'status:target',
      payload: {
        ...base,
        state: { kind: 'syncing', paths: VARIANTS - step },
        pending: VARIANTS - step,
        transfer: { filesDone: step, filesTotal: VARIANTS, bytesDone: step * 4096, bytesTotal: VARIANTS * 4096, bytesPerSecond: 50_000 + step * 1000, etaSeconds: VARIANTS - step, current: `load/file-${step}.txt` },
        recent: [{ path: `load/file-${step}.txt`, kind: step % 3 === 0 ? 'created' : 'modified', at: now + step * 100 }, ...(base.recent as unknown[])].slice(0, 200),
      },
    })));
    // Owed by the clock, not by the ticks: when a busy page runs the timer late, the snapshots
    // due meanwhile arrive together, as a socket's backlog does.
    const TICK_MS = 50;
    const started = performance.now();
    let sent = 0;
    probe.feed = setInterval(() => {
      const owed = Math.floor(((performance.now() - started) * rate) / 1000);
      for (; sent < owed; sent += 1) {
        const target = texts[sent % texts.length]!;
        const text = target[Math.floor(sent / texts.length) % VARIANTS]!;
        for (const socket of probe.sockets) if (socket.readyState === 1) socket.onmessage?.({ data: text });
        probe.received += 1;
        probe.injected += 1;
      }
    }, TICK_MS);
    probe.frames = [];
    probe.stopFrames = false;
    let last = performance.now();
    const tick = (time: number): void => {
      probe.frames.push(time - last);
      last = time;
      if (!probe.stopFrames) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }, perSecond);
}

export interface LoadCounts {
  /** status:target messages the app received: the core's and the probe's. */
  readonly received: number;
  readonly injected: number;
  readonly frames: number[];
}

/** Stops feeding and collecting; the counts since startLoad (received counts from install). */
export async function stopLoad(page: Page): Promise<LoadCounts> {
  return page.evaluate(() => {
    const probe = (globalThis as unknown as { tidemarkProbe: Probe }).tidemarkProbe;
    if (probe.feed !== null) clearInterval(probe.feed);
    probe.feed = null;
    probe.stopFrames = true;
    return { received: probe.received, injected: probe.injected, frames: probe.frames.slice(1) };
  });
}

/** The counters now, to take differences over a window. */
export function receivedSoFar(page: Page): Promise<number> {
  return page.evaluate(() => (globalThis as unknown as { tidemarkProbe: Probe }).tidemarkProbe.received);
}

/** p50, p95, p99 and max of frame deltas, to a tenth of a millisecond. */
export function frameStats(frames: readonly number[]): { p50: number; p95: number; p99: number; max: number } {
  const sorted = [...frames].sort((a, b) => a - b);
  const tenth = (value: number): number => Math.round(value * 10) / 10;
  const at = (quantile: number): number => tenth(sorted[Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))] ?? 0);
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: tenth(sorted[sorted.length - 1] ?? 0) };
}
