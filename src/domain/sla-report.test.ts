// R-TIME-7 and the fractional business days it counts (R-TIME-1).
import { describe, expect, it } from 'vitest';
import { businessCalendar } from './calendar.js';
import { slaItem, slaTotals } from './sla-report.js';

const at = (s: string) => new Date(s);

describe('business days between two instants (R-TIME-1)', () => {
  const cal = businessCalendar('Europe/Lisbon', ['2026-03-06']);
  it('counts the share of each business day, skipping weekends and holidays', () => {
    // Wed 12:00 -> Thu 12:00 local: one business day.
    expect(cal.businessDaysBetween(at('2026-03-04T12:00:00Z'), at('2026-03-05T12:00:00Z'))).toBeCloseTo(1, 6);
    // Thu 12:00 -> Mon 12:00: half of Thursday, Friday a holiday, the weekend, half of Monday.
    expect(cal.businessDaysBetween(at('2026-03-05T12:00:00Z'), at('2026-03-09T12:00:00Z'))).toBeCloseTo(1, 6);
    expect(cal.businessDaysBetween(at('2026-03-09T12:00:00Z'), at('2026-03-05T12:00:00Z'))).toBe(0);
  });
  it('a day of 23 hours (the spring change) still counts as one day', () => {
    // Lisbon moves to summer time on Sunday 29 March 2026; Friday 27 to Tuesday 31 at noon.
    expect(cal.businessDaysBetween(at('2026-03-27T12:00:00Z'), at('2026-03-31T11:00:00Z'))).toBeCloseTo(2, 6);
  });
});

describe('the SLA report (R-TIME-7)', () => {
  const cal = businessCalendar('UTC');
  it('takes the days waiting on the partner out, and judges against the target', () => {
    const item = slaItem(
      'c1',
      [
        { at: at('2026-03-02T09:00:00Z'), type: 'created' },
        { at: at('2026-03-02T09:00:00Z'), type: 'submit', from: 'draft', to: 'submitted' },
        { at: at('2026-03-03T09:00:00Z'), type: 'start_review', from: 'submitted', to: 'in_review' },
        {
          at: at('2026-03-04T09:00:00Z'),
          type: 'request_information',
          from: 'in_review',
          to: 'partner_action_required',
        },
        { at: at('2026-03-06T09:00:00Z'), type: 'submit', from: 'partner_action_required', to: 'in_review' },
        { at: at('2026-03-17T09:00:00Z'), type: 'approve', from: 'in_review', to: 'approved' },
      ],
      cal,
      10,
      'microsoft_365',
    );
    // Mon 2 to Tue 17 March: 11 business days, of which 2 waiting on the partner.
    expect(item).toEqual({
      claimId: 'c1',
      solutionArea: 'microsoft_365',
      submittedAt: '2026-03-02T09:00:00.000Z',
      decidedAt: '2026-03-17T09:00:00.000Z',
      businessDays: 9,
      partnerBusinessDays: 2,
      met: true,
      decision: 'approved',
    });
    const late = slaItem(
      'c2',
      [
        { at: at('2026-03-02T09:00:00Z'), type: 'submit', from: 'draft', to: 'submitted' },
        { at: at('2026-03-17T09:00:00Z'), type: 'reject', from: 'in_review', to: 'rejected' },
      ],
      cal,
      10,
      'business_applications',
    );
    expect(late?.met).toBe(false);
    expect(late?.decision).toBe('rejected');
    expect(late?.businessDays).toBe(11);
    const other = slaItem(
      'c4',
      [
        { at: at('2026-03-02T09:00:00Z'), type: 'submit', to: 'submitted' },
        { at: at('2026-03-05T09:00:00Z'), type: 'approve', to: 'approved' },
      ],
      cal,
      10,
      'microsoft_365',
    );
    expect(slaTotals([item!, late!, other!])).toEqual({
      decided: 3,
      met: 2,
      missed: 1,
      medianBusinessDays: 9,
      approved: 2,
      rejected: 1,
      bySolutionArea: [
        {
          solutionArea: 'business_applications',
          decided: 1,
          met: 0,
          missed: 1,
          medianBusinessDays: 11,
          approved: 0,
          rejected: 1,
        },
        {
          solutionArea: 'microsoft_365',
          decided: 2,
          met: 2,
          missed: 0,
          medianBusinessDays: 6,
          approved: 2,
          rejected: 0,
        },
      ],
      byMonth: [
        { month: '2026-03', decided: 3, met: 2, missed: 1, medianBusinessDays: 9, approved: 2, rejected: 1 },
      ],
    });
    // Issue 13 point 10: by month of decision, in the month the caller says (a time zone's).
    expect(slaTotals([item!, other!], (d) => (d < '2026-03-10' ? '2026-02' : '2026-03')).byMonth).toEqual([
      { month: '2026-02', decided: 1, met: 1, missed: 0, medianBusinessDays: 3, approved: 1, rejected: 0 },
      { month: '2026-03', decided: 1, met: 1, missed: 0, medianBusinessDays: 9, approved: 1, rejected: 0 },
    ]);
    expect(slaTotals([])).toEqual({
      decided: 0,
      met: 0,
      missed: 0,
      medianBusinessDays: null,
      approved: 0,
      rejected: 0,
      bySolutionArea: [],
      byMonth: [],
    });
    expect(
      slaItem('c3', [{ at: at('2026-03-02T09:00:00Z'), type: 'submit', to: 'submitted' }], cal, 10),
    ).toBeNull();
  });
});
