// R-TIME-1: business days across weekends, holidays next to weekends, year ends and DST.
import { describe, expect, it } from 'vitest';
import { businessCalendar, localDate, zonedInstant } from './calendar.js';

const at = (s: string) => new Date(s);
const iso = (d: Date) => d.toISOString();

describe('business calendar (R-TIME-1)', () => {
  it('skips weekends', () => {
    const cal = businessCalendar('UTC');
    // Friday noon + 1 business day = Monday noon; + 5 = next Friday noon.
    expect(iso(cal.addBusinessDays(at('2026-03-06T12:00:00Z'), 1))).toBe('2026-03-09T12:00:00.000Z');
    expect(iso(cal.addBusinessDays(at('2026-03-06T12:00:00Z'), 5))).toBe('2026-03-13T12:00:00.000Z');
    // From a Saturday, the first business day is Monday.
    expect(iso(cal.addBusinessDays(at('2026-03-07T09:30:00Z'), 1))).toBe('2026-03-09T09:30:00.000Z');
    expect(iso(cal.addBusinessDays(at('2026-03-04T12:00:00Z'), 0))).toBe('2026-03-04T12:00:00.000Z');
  });

  it('skips holidays next to weekends (Friday before a Monday holiday)', () => {
    const cal = businessCalendar('UTC', ['2026-05-25']);
    // Friday 22 May: Tue 26, Wed 27, Thu 28, Fri 29, Mon 1 June.
    expect(iso(cal.addBusinessDays(at('2026-05-22T12:00:00Z'), 5))).toBe('2026-06-01T12:00:00.000Z');
    expect(cal.isBusinessDay(at('2026-05-25T12:00:00Z'))).toBe(false);
    expect(cal.isBusinessDay(at('2026-05-26T12:00:00Z'))).toBe(true);
    // A Friday holiday after a Thursday holiday: Wednesday + 1 = next Monday.
    const easter = businessCalendar('UTC', ['2026-04-02', '2026-04-03', '2026-04-06']);
    expect(iso(easter.addBusinessDays(at('2026-04-01T08:00:00Z'), 1))).toBe('2026-04-07T08:00:00.000Z');
  });

  it('crosses the year end', () => {
    const cal = businessCalendar('UTC', ['2026-12-25', '2027-01-01']);
    // Thu 31 Dec 2026 + 1: Fri 1 Jan is a holiday, so Monday 4 Jan 2027.
    expect(iso(cal.addBusinessDays(at('2026-12-31T15:00:00Z'), 1))).toBe('2027-01-04T15:00:00.000Z');
    // Wed 23 Dec + 5: Thu 24, (Fri 25 off), Mon 28, Tue 29, Wed 30, Thu 31.
    expect(iso(cal.addBusinessDays(at('2026-12-23T10:00:00Z'), 5))).toBe('2026-12-31T10:00:00.000Z');
  });

  it('counts local dates in the configured time zone', () => {
    // Friday 23:30 UTC is already Saturday in Tokyo: the next business day is Monday there.
    const tokyo = businessCalendar('Asia/Tokyo');
    expect(tokyo.isBusinessDay(at('2026-03-06T23:30:00Z'))).toBe(false);
    expect(iso(tokyo.addBusinessDays(at('2026-03-06T23:30:00Z'), 1))).toBe('2026-03-08T23:30:00.000Z');
    // A holiday is a local date: 1 May in São Paulo starts at 03:00 UTC.
    const sp = businessCalendar('America/Sao_Paulo', ['2026-05-01']);
    expect(sp.isBusinessDay(at('2026-05-01T02:00:00Z'))).toBe(true); // still 30 April locally
    expect(sp.isBusinessDay(at('2026-05-01T04:00:00Z'))).toBe(false);
    expect(localDate(at('2026-05-01T02:00:00Z'), 'America/Sao_Paulo')).toBe('2026-04-30');
  });

  it('keeps the local time across DST changes', () => {
    const ny = businessCalendar('America/New_York');
    // Friday 6 March 2026 12:00 EST (17:00Z) + 1 = Monday 9 March 12:00 EDT (16:00Z).
    expect(iso(ny.addBusinessDays(at('2026-03-06T17:00:00Z'), 1))).toBe('2026-03-09T16:00:00.000Z');
    // Autumn: Friday 30 Oct 12:00 EDT (16:00Z) + 1 = Monday 2 Nov 12:00 EST (17:00Z).
    expect(iso(ny.addBusinessDays(at('2026-10-30T16:00:00Z'), 1))).toBe('2026-11-02T17:00:00.000Z');
    const lisbon = businessCalendar('Europe/Lisbon');
    // Friday 27 March 09:00 WET (09:00Z) + 1 = Monday 30 March 09:00 WEST (08:00Z).
    expect(iso(lisbon.addBusinessDays(at('2026-03-27T09:00:00Z'), 1))).toBe('2026-03-30T08:00:00.000Z');
  });

  it('resolves wall times in DST gaps and overlaps', () => {
    // 02:30 on 8 March 2026 does not exist in New York: it becomes 03:30 EDT.
    const gap = zonedInstant({ y: 2026, m: 3, d: 8, h: 2, mi: 30, s: 0, ms: 0 }, 'America/New_York');
    expect(iso(gap)).toBe('2026-03-08T07:30:00.000Z');
    // 01:30 on 1 November 2026 happens twice: the earlier (EDT) one is taken.
    const overlap = zonedInstant({ y: 2026, m: 11, d: 1, h: 1, mi: 30, s: 0, ms: 0 }, 'America/New_York');
    expect(iso(overlap)).toBe('2026-11-01T05:30:00.000Z');
  });

  it('refuses an unknown time zone', () => {
    expect(() => businessCalendar('Mars/Olympus_Mons')).toThrow(RangeError);
  });
});
