// R-TIME-6: when the reviewers' digest of claims that became overdue goes out: at most once
// a business day, from a local hour (CPOR_DIGEST_HOUR, 8 by default, in CPOR_TIME_ZONE), and
// only when some claim became overdue since the last digest (the caller looks that up). Pure.
import { localDate, localHour, type BusinessCalendar } from './calendar.js';

/** By default the digest goes out from this local hour of a business day (reviewers start their day). */
export const defaultDigestHour = 8;

/** The business day (`YYYY-MM-DD`) a digest is due for at `now`, or null when none is. */
export function digestDay(
  now: Date,
  timeZone: string,
  calendar: BusinessCalendar,
  lastDay: string | null,
  fromHour = defaultDigestHour,
): string | null {
  if (!calendar.isBusinessDay(now) || localHour(now, timeZone) < fromHour) return null;
  const day = localDate(now, timeZone);
  return lastDay !== null && lastDay >= day ? null : day;
}
