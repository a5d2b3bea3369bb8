// R-TIME-7: the SLA report, computed on the server with the business calendar, of a claim
// that waited on the partner for two business days (issue 9 "Done when").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimInReview } from './claim-steps.js';
import {
  client,
  dbTargets,
  seedWorld,
  testApp,
  type TestApp,
  type World,
  contactVerified,
} from './harness.js';

interface Report {
  targetBusinessDays: number;
  items: { claimId: string; businessDays: number; partnerBusinessDays: number; met: boolean }[];
  totals: { decided: number; met: number; missed: number; medianBusinessDays: number | null };
  nextCursor: string | null;
}

describe.each(dbTargets())('the SLA report on %s', (target) => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await testApp(target);
    w = await seedWorld(t);
  });
  afterAll(async () => t?.close());

  const at = (iso: string) => t.clock.set(new Date(iso));

  it('takes the two business days the partner took out of the review time', async () => {
    // Submitted and taken up on Wednesday 4 March 2026 at noon (UTC).
    const id = await claimInReview(t, w, 'Slow');
    const reviewer = client(t.app, w.tokens.reviewer);
    const partner = client(t.app, w.tokens.partnerA);
    at('2026-03-05T12:00:00Z'); // Thursday: information requested
    const asked = await reviewer.post(`/api/v1/claims/${id}/request-information`, {
      reasons: ['poe_missing'],
      comment: 'Please add the signed statement of work.',
    });
    expect(asked.statusCode, asked.body).toBe(200);
    at('2026-03-09T12:00:00Z'); // Monday: the partner answers (Thu half, Fri, Mon half = 2)
    const answered = await partner.post(`/api/v1/claims/${id}/submit`);
    expect(answered.statusCode, answered.body).toBe(200);
    at('2026-03-10T12:00:00Z'); // Tuesday: approved, 4 business days after submission
    expect((await reviewer.post(`/api/v1/claims/${id}/approve`, contactVerified)).statusCode).toBe(200);

    const report = await reviewer.get('/api/v1/reports/sla?from=2026-03-01&to=2026-04-01');
    expect(report.statusCode, report.body).toBe(200);
    const body = report.json<Report>();
    expect(body.targetBusinessDays).toBe(10);
    expect(body.items).toEqual([
      {
        claimId: id,
        solutionArea: 'microsoft_365',
        submittedAt: '2026-03-04T12:00:00.000Z',
        decidedAt: '2026-03-10T12:00:00.000Z',
        businessDays: 2,
        partnerBusinessDays: 2,
        met: true,
        decision: 'approved',
      },
    ]);
    const one = { decided: 1, met: 1, missed: 0, medianBusinessDays: 2, approved: 1, rejected: 0 };
    expect(body.totals).toEqual({
      ...one,
      bySolutionArea: [{ solutionArea: 'microsoft_365', ...one }],
      byMonth: [{ month: '2026-03', ...one }],
    });
    expect(body.nextCursor).toBeNull();

    // The partner sees its own claim; another organization's partner sees none.
    expect(
      (await partner.get('/api/v1/reports/sla?from=2026-03-01&to=2026-04-01')).json<Report>().totals.decided,
    ).toBe(1);
    const other = await client(t.app, w.tokens.partnerB).get(
      '/api/v1/reports/sla?from=2026-03-01&to=2026-04-01',
    );
    expect(other.json<Report>().totals.decided).toBe(0);
    // Outside the period, nothing; the business-applications filter, nothing.
    expect(
      (await reviewer.get('/api/v1/reports/sla?from=2026-03-11&to=2026-04-01')).json<Report>().items,
    ).toEqual([]);
    expect(
      (
        await reviewer.get(
          '/api/v1/reports/sla?from=2026-03-01&to=2026-04-01&solutionArea=business_applications',
        )
      ).json<Report>().items,
    ).toEqual([]);
    // CSV, as the JSON says.
    const csv = await reviewer.get('/api/v1/reports/sla?from=2026-03-01&to=2026-04-01&format=csv');
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body.trim().split('\r\n')).toEqual([
      'claimId,solutionArea,submittedAt,decidedAt,businessDays,partnerBusinessDays,met,decision',
      `${id},microsoft_365,2026-03-04T12:00:00.000Z,2026-03-10T12:00:00.000Z,2,2,true,approved`,
    ]);
  });

  it('runs to now by default, a decision of this very instant included', async () => {
    const id = await claimInReview(t, w, 'JustNow');
    const reviewer = client(t.app, w.tokens.reviewer);
    expect((await reviewer.post(`/api/v1/claims/${id}/approve`, contactVerified)).statusCode).toBe(200);
    const report = (await reviewer.get('/api/v1/reports/sla')).json<Report>();
    expect(report.items.map((i) => i.claimId)).toContain(id);
  });

  it('names a bad period', async () => {
    const reviewer = client(t.app, w.tokens.reviewer);
    const reversed = await reviewer.get('/api/v1/reports/sla?from=2026-04-01&to=2026-03-01');
    expect(reversed.statusCode).toBe(422);
    expect(reversed.json<{ errors: { path: string }[] }>().errors[0]?.path).toBe('from');
    const bad = await reviewer.get('/api/v1/reports/sla?from=March');
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('from');
  });
});
