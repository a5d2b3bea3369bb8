// Reports: the SLA report (R-TIME-7), JSON or CSV.
import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { isoDate, zonedInstant } from '../domain/calendar.js';
import { solutionAreas, statuses } from '../domain/claim.js';
import { validationFailed } from '../domain/errors.js';
import { answers, csvText, ok, okAs, pageQuery } from '../http/contract.js';
import { claimOutcome } from '../claims/named-enums.js';
import { claimsByStatusReport, slaReport, slaReportCsv } from './reports-queries.js';

/** A date (local midnight in CPOR_TIME_ZONE) or an instant with its offset. */
const dateOrInstant = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

const slaTotalsShape = {
  decided: z.number().int(),
  met: z.number().int(),
  missed: z.number().int(),
  medianBusinessDays: z.number().nullable(),
  approved: z.number().int().meta({ description: "Of the decisions, the reviewers' approvals" }),
  rejected: z.number().int().meta({
    description: "Of the decisions, the reviewers' rejections (withdrawals, denials, expiries are none)",
  }),
};

const slaView = z
  .strictObject({
    targetBusinessDays: z.number().meta({ description: 'CPOR_DECISION_TARGET_BUSINESS_DAYS' }),
    items: z.array(
      z.strictObject({
        claimId: z.string(),
        solutionArea: z.enum(solutionAreas).nullable(),
        submittedAt: z.iso.datetime(),
        decidedAt: z.iso.datetime(),
        businessDays: z.number().meta({ description: "Submission to decision, less the partner's time" }),
        partnerBusinessDays: z.number(),
        met: z.boolean(),
        decision: z
          .enum(['approved', 'rejected'])
          .meta({ description: "The reviewer's first decision (approve or reject)" }),
      }),
    ),
    totals: z.strictObject({
      ...slaTotalsShape,
      bySolutionArea: z
        .array(z.strictObject({ solutionArea: z.enum(solutionAreas).nullable(), ...slaTotalsShape }))
        .meta({ description: 'The same totals for each solution area of the period (R-TIME-7)' }),
      byMonth: z
        .array(
          z.strictObject({
            month: z.string().meta({ description: 'YYYY-MM, CPOR_TIME_ZONE' }),
            ...slaTotalsShape,
          }),
        )
        .meta({ description: 'The same totals for each month of decision of the period, oldest first' }),
    }),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'SlaReport' });

const claimsByStatusView = z
  .strictObject({
    items: z.array(z.strictObject({ status: z.enum(statuses), count: z.number().int() })),
    total: z.number().int(),
    outcomes: z
      .array(z.strictObject({ outcome: claimOutcome, count: z.number().int() }))
      .optional()
      .meta({
        description:
          'With ?detail=true: the rejected and ended claims, counted by how they ended (every outcome listed)',
      }),
    overdue: z
      .number()
      .int()
      .optional()
      .meta({ description: 'With ?detail=true: claims whose reviewer SLA has passed (R-TIME-6)' }),
  })
  .meta({ id: 'ClaimsByStatus' });

export function reportsRoutes(deps: Deps): FastifyPluginAsyncZod {
  const instant = (s: string) => {
    if (s.includes('T')) return new Date(s);
    const [y, m, d] = s.split('-').map(Number);
    return zonedInstant({ y: y!, m: m!, d: d!, h: 0, mi: 0, s: 0, ms: 0 }, deps.config.CPOR_TIME_ZONE);
  };
  return async (app) => {
    app.get(
      '/reports/claims-by-status',
      {
        schema: {
          tags: ['reports'],
          operationId: 'claimsByStatus',
          summary:
            'The claims the caller sees (partners: their own), counted by status, every status listed (0 included); kept by the database, no claim is read; ?detail=true adds the outcomes and the overdue count (the dashboard; these read claims)',
          querystring: z.strictObject({
            detail: z
              .enum(['true', 'false'])
              .optional()
              .meta({ description: 'true: also `outcomes` and `overdue`' }),
          }),
          response: answers(
            { 200: ok(claimsByStatusView, 'The counts by status and their total') },
            401,
            403,
            422,
          ),
        },
      },
      (req) => claimsByStatusReport(deps, req.actor, req.query.detail === 'true'),
    );
    app.get(
      '/reports/sla',
      {
        schema: {
          tags: ['reports'],
          operationId: 'slaReport',
          response: answers(
            {
              200: okAs(
                { 'application/json': { schema: slaView }, 'text/csv': csvText },
                'The decided claims of the period with their business days, and the totals',
              ),
            },
            401,
            403,
            422,
          ),
          summary:
            'SLA report (R-TIME-7): claims decided in [from, to), business days from submission to decision less the partner’s',
          querystring: z.strictObject({
            from: dateOrInstant.optional(),
            to: dateOrInstant.optional(),
            solutionArea: z.enum(solutionAreas).optional(),
            ...pageQuery,
            format: z.enum(['json', 'csv']).optional(),
          }),
        },
      },
      async (req, reply) => {
        // Unset, the period runs to now, a decision taken this very instant included.
        const to = req.query.to ? instant(req.query.to) : new Date(deps.clock.now().getTime() + 1);
        const from = req.query.from ? instant(req.query.from) : new Date(to.getTime() - 30 * 24 * 3600_000);
        if (from >= to)
          throw validationFailed([
            { path: 'from', message: 'must be before to', code: 'must_be_before', params: { field: 'to' } },
          ]);
        const q = { from, to, solutionArea: req.query.solutionArea };
        if (req.query.format !== 'csv')
          return slaReport(deps, req.actor, { ...q, limit: req.query.limit, cursor: req.query.cursor });
        const name = `sla-${isoDate({ y: from.getUTCFullYear(), m: from.getUTCMonth() + 1, d: from.getUTCDate() })}.csv`;
        return reply
          .type('text/csv; charset=utf-8')
          .header('Content-Disposition', `attachment; filename="${name}"`)
          .send(Readable.from(await slaReportCsv(deps, req.actor, q)));
      },
    );
  };
}
