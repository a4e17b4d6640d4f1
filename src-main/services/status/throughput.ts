// Bytes per second over the last 10 minutes, one sample per bucket of a few seconds: the bytes
// of every transfer (rsync's progress, the quick copies) land in the bucket of the moment they
// were reported. Buckets with no transfer are left out; the chart reads a gap as nothing sent.
import { STATUS_LIMITS, type ThroughputSample } from '../../../src-shared/model/status';

export const SAMPLE_MS = 5000;

export class Throughput {
  /** Bucket start -> bytes, oldest first (Map keeps insertion order). */
  readonly #buckets = new Map<number, number>();

  constructor(
    private readonly sampleMs = SAMPLE_MS,
    private readonly windowMs: number = STATUS_LIMITS.throughputMs,
  ) {}

  add(bytes: number, at: number): void {
    if (bytes <= 0) return;
    const bucket = at - (at % this.sampleMs);
    this.#buckets.set(bucket, (this.#buckets.get(bucket) ?? 0) + bytes);
  }

  /** The samples of the window ending now, oldest first; the last one may be a bucket still filling. */
  samples(now: number): ThroughputSample[] {
    const oldest = now - this.windowMs;
    for (const bucket of this.#buckets.keys()) {
      if (bucket + this.sampleMs > oldest) break;
      this.#buckets.delete(bucket);
    }
    const seconds = this.sampleMs / 1000;
    return [...this.#buckets].map(([at, bytes]) => ({ at, bytesPerSecond: bytes / seconds }));
  }
}
