// The throughput chart's geometry: one bar per sample (a bucket of a few seconds) over the last
// 10 minutes, scaled to the window's peak, and the sentence a screen reader hears instead of it.
// Pure, so the scaling is table-tested (test/renderer/throughput-chart.test.ts).
import type { ThroughputSample } from '../../../src-shared/model/status';
import { formatRate } from './format';

export interface ChartBox {
  readonly width: number;
  readonly height: number;
  /** The window the chart spans, ending now (ms). */
  readonly windowMs: number;
  /** How long one sample covers (ms): the status service's bucket. */
  readonly sampleMs: number;
}

export interface Bar {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** The status service's bucket (src-main/services/status/throughput.ts SAMPLE_MS). */
export const SAMPLE_MS = 5000;

/**
 * Where the window ends: now, or the newest sample's start when the screen's clock (which ticks
 * every few seconds) is behind the core's, so that the bucket still filling always shows.
 */
function windowEnd(samples: readonly ThroughputSample[], now: number): number {
  return samples.reduce((end, sample) => Math.max(end, sample.at), now);
}

/** The samples inside the window ending at `end`: a sample whose bucket ended before it is gone. */
function inWindow(samples: readonly ThroughputSample[], end: number, box: ChartBox): ThroughputSample[] {
  const start = end - box.windowMs;
  return samples.filter((sample) => sample.at + box.sampleMs > start && sample.bytesPerSecond > 0);
}

/**
 * The bars of the chart, in the box's coordinates (y grows down): x from the sample's time in the
 * window, height from its rate over the peak, at least 1 px so that a trickle still shows.
 */
export function throughputBars(samples: readonly ThroughputSample[], now: number, box: ChartBox): { bars: Bar[]; peak: number } {
  const end = windowEnd(samples, now);
  const kept = inWindow(samples, end, box);
  const peak = kept.reduce((max, sample) => Math.max(max, sample.bytesPerSecond), 0);
  if (peak === 0) return { bars: [], peak: 0 };
  const start = end - box.windowMs;
  const scaleX = box.width / box.windowMs;
  const bars = kept.map((sample) => {
    const from = Math.max(sample.at, start);
    // The bucket still filling is drawn up to now, at least a sliver wide.
    const to = Math.max(from, Math.min(sample.at + box.sampleMs, end));
    const height = Math.max(1, (sample.bytesPerSecond / peak) * box.height);
    return { x: round((from - start) * scaleX), y: round(box.height - height), width: round(Math.max(1, (to - from) * scaleX - 1)), height: round(height) };
  });
  return { bars, peak };
}

/** What the chart shows, in words: peak, average over the window and the latest rate. */
export function throughputSummary(samples: readonly ThroughputSample[], now: number, box: ChartBox): string {
  const end = windowEnd(samples, now);
  const kept = inWindow(samples, end, box);
  if (kept.length === 0) return 'Nothing sent in the last 10 minutes.';
  const peak = Math.max(...kept.map((sample) => sample.bytesPerSecond));
  // The average over the whole window: a bucket without a sample sent nothing.
  const bytes = kept.reduce((sum, sample) => sum + sample.bytesPerSecond * (box.sampleMs / 1000), 0);
  const average = bytes / (box.windowMs / 1000);
  const latest = kept[kept.length - 1]!;
  const recent = end - latest.at < 2 * box.sampleMs ? `now ${formatRate(latest.bytesPerSecond)}` : 'idle now';
  return `Last 10 minutes: peak ${formatRate(peak)}, average ${formatRate(average)}, ${recent}.`;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
