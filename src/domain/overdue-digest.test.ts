// R-TIME-6: once a business day, from 08:00 local time.
import { describe, expect, it } from 'vitest';
import { businessCalendar } from './calendar.js';
import { defaultDigestHour, digestDay } from './overdue-digest.js';

const tz = 'America/Sao_Paulo'; // UTC-3
const calendar = businessCalendar(tz, ['2026-06-04']);

describe('R-TIME-6: when the digest is due', () => {
  it('from 08:00 local time on a business day, once', () => {
    expect(defaultDigestHour).toBe(8);
    // Monday 2026-06-01: 07:59 local is 10:59 UTC.
    expect(digestDay(new Date('2026-06-01T10:59:00Z'), tz, calendar, null)).toBeNull();
    expect(digestDay(new Date('2026-06-01T11:00:00Z'), tz, calendar, null)).toBe('2026-06-01');
    expect(digestDay(new Date('2026-06-01T11:00:00Z'), tz, calendar, '2026-05-29')).toBe('2026-06-01');
    expect(digestDay(new Date('2026-06-01T20:00:00Z'), tz, calendar, '2026-06-01')).toBeNull();
    // 23:30 local on Monday is already Tuesday in UTC: still Monday's digest.
    expect(digestDay(new Date('2026-06-02T02:30:00Z'), tz, calendar, '2026-06-01')).toBeNull();
  });
  it('from the hour CPOR_DIGEST_HOUR names, when set', () => {
    // 09:59 and 10:00 local (12:59 / 13:00 UTC) with the digest at 10.
    expect(digestDay(new Date('2026-06-01T12:59:00Z'), tz, calendar, null, 10)).toBeNull();
    expect(digestDay(new Date('2026-06-01T13:00:00Z'), tz, calendar, null, 10)).toBe('2026-06-01');
    expect(digestDay(new Date('2026-06-01T03:00:00Z'), tz, calendar, '2026-05-29', 0)).toBe('2026-06-01');
  });
  it('never on a weekend or a holiday', () => {
    expect(digestDay(new Date('2026-06-06T15:00:00Z'), tz, calendar, null)).toBeNull(); // Saturday
    expect(digestDay(new Date('2026-06-07T15:00:00Z'), tz, calendar, null)).toBeNull(); // Sunday
    expect(digestDay(new Date('2026-06-04T15:00:00Z'), tz, calendar, null)).toBeNull(); // holiday
    expect(digestDay(new Date('2026-06-05T15:00:00Z'), tz, calendar, '2026-06-03')).toBe('2026-06-05');
  });
});
