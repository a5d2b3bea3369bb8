// Business days (R-TIME-1): weekends and the configured holidays are skipped, counted in
// the calendar's time zone (CPOR_TIME_ZONE). Pure: the holidays are passed in.
//
// A deadline of N business days lands at the same wall-clock time N business days later in
// that zone, so a request made on a Friday at noon in Lisbon is due at noon Lisbon time,
// whether or not a DST change happened in between.
export interface BusinessCalendar {
  readonly timeZone: string;
  /** The instant `days` business days after `from`, at the same local time of day. */
  addBusinessDays(from: Date, days: number): Date;
  /** Whether the local calendar date of `at` is a business day. */
  isBusinessDay(at: Date): boolean;
  /**
   * Business days from `from` to `to`, with fractions: each business date counts the share of
   * its local day that lies between them (R-TIME-7). 0 when `to` is not after `from`.
   */
  businessDaysBetween(from: Date, to: Date): number;
}

const dayMs = 24 * 60 * 60 * 1000;

/** Local wall-clock fields of an instant in a time zone. */
interface Wall {
  y: number;
  m: number; // 1..12
  d: number;
  h: number;
  mi: number;
  s: number;
  ms: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Throws a RangeError for a time zone the runtime does not know. */
export function checkTimeZone(timeZone: string): void {
  formatter(timeZone);
}

function wallOf(at: Date, timeZone: string): Wall {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(at)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const ms = ((at.getTime() % 1000) + 1000) % 1000;
  return {
    y: parts.year ?? 0,
    m: parts.month ?? 1,
    d: parts.day ?? 1,
    h: parts.hour ?? 0,
    mi: parts.minute ?? 0,
    s: parts.second ?? 0,
    ms,
  };
}

const wallAsUtc = (w: Wall) => Date.UTC(w.y, w.m - 1, w.d, w.h, w.mi, w.s, w.ms);

/** Offset of the zone at an instant, in ms (local = utc + offset). */
function offsetAt(instant: number, timeZone: string): number {
  return wallAsUtc(wallOf(new Date(instant), timeZone)) - instant;
}

/**
 * The instant of a local wall-clock time. In a DST gap (the time does not exist) the time
 * moves forward by the gap; in an overlap (it exists twice) the earlier instant is taken.
 */
export function zonedInstant(w: Wall, timeZone: string): Date {
  const local = wallAsUtc(w);
  const before = offsetAt(local - dayMs, timeZone);
  const after = offsetAt(local + dayMs, timeZone);
  // Try both offsets seen around the date; keep those that map back to the same wall time.
  const candidates = [local - before, local - after].filter(
    (t) => wallAsUtc(wallOf(new Date(t), timeZone)) === local,
  );
  if (candidates.length > 0) return new Date(Math.min(...candidates));
  // A gap: the wall time was skipped; the offset before the change puts it after the jump.
  return new Date(local - before);
}

/** `YYYY-MM-DD` of a local date. */
export const isoDate = (w: { y: number; m: number; d: number }) =>
  `${String(w.y).padStart(4, '0')}-${String(w.m).padStart(2, '0')}-${String(w.d).padStart(2, '0')}`;

/** The local hour (0-23) of an instant in a zone. */
export function localHour(at: Date, timeZone: string): number {
  return wallOf(at, timeZone).h;
}

/** The local calendar date of an instant in a zone, as `YYYY-MM-DD`. */
export function localDate(at: Date, timeZone: string): string {
  return isoDate(wallOf(at, timeZone));
}

export function businessCalendar(timeZone = 'UTC', holidays: Iterable<string> = []): BusinessCalendar {
  checkTimeZone(timeZone);
  const off = new Set(holidays);
  // Weekday and holiday of a local date, computed on the date alone (no time, no zone).
  const isBusinessDate = (y: number, m: number, d: number) => {
    const wd = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
    return wd !== 0 && wd !== 6 && !off.has(isoDate({ y, m, d }));
  };
  return {
    timeZone,
    isBusinessDay(at) {
      const w = wallOf(at, timeZone);
      return isBusinessDate(w.y, w.m, w.d);
    },
    businessDaysBetween(from, to) {
      if (to.getTime() <= from.getTime()) return 0;
      const w = wallOf(from, timeZone);
      let date = Date.UTC(w.y, w.m - 1, w.d);
      let total = 0;
      for (;;) {
        const d = new Date(date);
        const day = {
          y: d.getUTCFullYear(),
          m: d.getUTCMonth() + 1,
          d: d.getUTCDate(),
          h: 0,
          mi: 0,
          s: 0,
          ms: 0,
        };
        const start = zonedInstant(day, timeZone).getTime();
        if (start >= to.getTime()) break;
        const next = new Date(date + dayMs);
        const end = zonedInstant(
          { ...day, y: next.getUTCFullYear(), m: next.getUTCMonth() + 1, d: next.getUTCDate() },
          timeZone,
        ).getTime();
        if (isBusinessDate(day.y, day.m, day.d)) {
          const overlap = Math.min(end, to.getTime()) - Math.max(start, from.getTime());
          if (overlap > 0) total += overlap / (end - start);
        }
        date += dayMs;
      }
      return total;
    },
    addBusinessDays(from, days) {
      const w = wallOf(from, timeZone);
      // Step local dates as UTC dates: date arithmetic without any zone in the way.
      let date = Date.UTC(w.y, w.m - 1, w.d);
      let left = days;
      while (left > 0) {
        date += dayMs;
        const d = new Date(date);
        if (isBusinessDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate())) left -= 1;
      }
      const d = new Date(date);
      return zonedInstant(
        { ...w, y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate() },
        timeZone,
      );
    },
  };
}

/** The UTC calendar (kept for callers that have no time zone setting). */
export function utcCalendar(holidays: Iterable<string> = []): BusinessCalendar {
  return businessCalendar('UTC', holidays);
}

export function addDays(from: Date, days: number): Date {
  return new Date(from.getTime() + days * dayMs);
}
