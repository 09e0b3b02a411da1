import { OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';

interface Window {
  hits: number;
  resetAt: number; // ms
  blockedUntil: number; // ms
}

/**
 * In-memory throttler storage: one counter per key and window, O(1) per
 * request. (@nestjs/throttler's own in-memory storage keeps a timestamp per hit
 * and scans them on every request: at a few thousand requests a second from one
 * client that scan was the largest cost of a request.) Used when REDIS_URL is
 * unset; with Redis the shared storage is used instead.
 */
export class FixedWindowThrottlerStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly windows = new Map<string, Window>();
  private readonly sweeper = setInterval(() => this.sweep(), 60_000).unref();

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const now = Date.now();
    const id = `${throttlerName}:${key}`;
    let w = this.windows.get(id);
    if (!w || (now >= w.resetAt && now >= w.blockedUntil)) {
      w = { hits: 0, resetAt: now + ttl, blockedUntil: 0 };
      this.windows.set(id, w);
    }
    if (now < w.blockedUntil) {
      return {
        totalHits: w.hits,
        timeToExpire: seconds(w.resetAt - now),
        isBlocked: true,
        timeToBlockExpire: seconds(w.blockedUntil - now),
      };
    }
    w.hits += 1;
    if (w.hits > limit) {
      w.blockedUntil = Math.max(w.resetAt, now + (blockDuration > 0 ? blockDuration : 0));
      return {
        totalHits: w.hits,
        timeToExpire: seconds(w.resetAt - now),
        isBlocked: true,
        timeToBlockExpire: seconds(w.blockedUntil - now),
      };
    }
    return { totalHits: w.hits, timeToExpire: seconds(w.resetAt - now), isBlocked: false, timeToBlockExpire: 0 };
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, w] of this.windows) if (now >= w.resetAt && now >= w.blockedUntil) this.windows.delete(id);
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
  }
}

const seconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));
