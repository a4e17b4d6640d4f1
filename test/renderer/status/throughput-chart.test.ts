// The throughput chart's scaling and its summary in words.
import { describe, expect, it } from 'vitest';
import type { ThroughputSample } from '../../../src-shared/model/status';
import { throughputBars, throughputSummary, type ChartBox } from '../../../src-renderer/lib/ui/throughput-chart';

/** A box 100 units wide over a 100 s window of 10 s samples: one unit per second. */
const BOX: ChartBox = { width: 100, height: 50, windowMs: 100_000, sampleMs: 10_000 };
const NOW = 1_000_000;
/** A sample `secondsAgo` before NOW at `rate` bytes per second. */
const sample = (secondsAgo: number, rate: number): ThroughputSample => ({ at: NOW - secondsAgo * 1000, bytesPerSecond: rate });

describe('throughputBars', () => {
  const cases: { description: string; samples: ThroughputSample[]; now?: number; expected: { peak: number; bars: { x: number; y: number; width: number; height: number }[] } }[] = [
    { description: 'no samples, no bars', samples: [], expected: { peak: 0, bars: [] } },
    { description: 'samples of zero draw nothing', samples: [sample(50, 0)], expected: { peak: 0, bars: [] } },
    {
      description: 'the peak fills the height, half the peak half of it; x follows time',
      samples: [sample(80, 1000), sample(30, 500)],
      expected: { peak: 1000, bars: [{ x: 20, y: 0, width: 9, height: 50 }, { x: 70, y: 25, width: 9, height: 25 }] },
    },
    {
      description: 'a trickle next to a flood still shows, 1 unit high',
      samples: [sample(60, 1_000_000), sample(40, 1)],
      expected: { peak: 1_000_000, bars: [{ x: 40, y: 0, width: 9, height: 50 }, { x: 60, y: 49, width: 9, height: 1 }] },
    },
    {
      description: 'a sample older than the window is left out; one straddling its start is cut to it',
      samples: [sample(200, 9999), sample(105, 100), sample(10, 100)],
      expected: { peak: 100, bars: [{ x: 0, y: 0, width: 4, height: 50 }, { x: 90, y: 0, width: 9, height: 50 }] },
    },
    {
      description: 'the bucket still filling is drawn up to now',
      samples: [sample(4, 100)],
      expected: { peak: 100, bars: [{ x: 96, y: 0, width: 3, height: 50 }] },
    },
    {
      description: 'a screen clock behind the core\'s moves the window to the newest sample',
      samples: [sample(-20, 100)],
      expected: { peak: 100, bars: [{ x: 100, y: 0, width: 1, height: 50 }] },
    },
  ];
  for (const { description, samples, now, expected } of cases) it(description, () => expect(throughputBars(samples, now ?? NOW, BOX)).toEqual(expected));
});

describe('throughputSummary', () => {
  const cases: { description: string; samples: ThroughputSample[]; expected: string }[] = [
    { description: 'nothing sent', samples: [], expected: 'Nothing sent in the last 10 minutes.' },
    {
      description: 'peak, average over the whole window, and the rate now',
      samples: [sample(50, 2000), sample(5, 1000)],
      // (2000 + 1000) B/s * 10 s over 100 s = 300 B/s
      expected: 'Last 10 minutes: peak 2 kB/s, average 300 B/s, now 1 kB/s.',
    },
    {
      description: 'the last sample long ago: idle now',
      samples: [sample(90, 1000)],
      expected: 'Last 10 minutes: peak 1 kB/s, average 100 B/s, idle now.',
    },
  ];
  for (const { description, samples, expected } of cases) it(description, () => expect(throughputSummary(samples, NOW, BOX)).toBe(expected));
});
