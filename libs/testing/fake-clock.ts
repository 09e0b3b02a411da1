import { Clock } from '@kernel';

/** A clock tests move by hand. */
export class FakeClock extends Clock {
  private current: Date;
  constructor(start: Date | string = '2026-01-05T12:00:00.000Z') {
    super();
    this.current = new Date(start);
  }
  now(): Date {
    return new Date(this.current);
  }
  set(at: Date | string): void {
    this.current = new Date(at);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
