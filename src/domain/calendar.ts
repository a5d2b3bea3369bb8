// Business days (R-TIME-1): weekends and the configured holidays are skipped.
// Pure: the holidays are passed in. Time zone support lives here too when it lands.
export interface BusinessCalendar {
  /** The instant `days` business days after `from`, at the same time of day. */
  addBusinessDays(from: Date, days: number): Date;
}

const dayMs = 24 * 60 * 60 * 1000;

export function utcCalendar(holidays: Iterable<string> = []): BusinessCalendar {
  const off = new Set(holidays);
  const isBusinessDay = (d: Date) => {
    const wd = d.getUTCDay();
    return wd !== 0 && wd !== 6 && !off.has(d.toISOString().slice(0, 10));
  };
  return {
    addBusinessDays(from, days) {
      let at = from.getTime();
      let left = days;
      while (left > 0) {
        at += dayMs;
        if (isBusinessDay(new Date(at))) left -= 1;
      }
      return new Date(at);
    },
  };
}

export function addDays(from: Date, days: number): Date {
  return new Date(from.getTime() + days * dayMs);
}
