// R-TIME-6: when the reviewers' digest of claims that became overdue goes out: at most once
// a business day, from `digestHour` local time (CPOR_TIME_ZONE), and only when some claim
// became overdue since the last digest (the caller looks that up). Pure.
import { localDate, localHour, type BusinessCalendar } from './calendar.js';

/** The digest goes out from this local hour of a business day (reviewers start their day). */
export const digestHour = 8;

/** The business day (`YYYY-MM-DD`) a digest is due for at `now`, or null when none is. */
export function digestDay(
  now: Date,
  timeZone: string,
  calendar: BusinessCalendar,
  lastDay: string | null,
): string | null {
  if (!calendar.isBusinessDay(now) || localHour(now, timeZone) < digestHour) return null;
  const day = localDate(now, timeZone);
  return lastDay !== null && lastDay >= day ? null : day;
}
