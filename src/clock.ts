// One clock for the whole program (R-TIME-5): the system clock in production, a clock
// that tests (and CPOR_TEST_CLOCK=1) move forward by hand.
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export class ManualClock implements Clock {
  private current: number;
  constructor(start: Date = new Date()) {
    this.current = start.getTime();
  }
  now(): Date {
    return new Date(this.current);
  }
  /** Where a process joining a test clock kept elsewhere starts, before anything read it. */
  startAt(at: Date): void {
    this.current = at.getTime();
  }
  set(to: Date): void {
    if (to.getTime() < this.current) throw new Error('the test clock only moves forward');
    this.current = to.getTime();
  }
}
