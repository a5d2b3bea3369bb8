// The admin audit (issue 13): every change of organizations, partner locations, users,
// holidays, the catalog and the tenant directory, newest first. Platform admins only.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { auditActions, auditEntities } from '../domain/admin-audit.js';
import { answers, ok, pageQuery } from '../http/contract.js';
import { adminAudit } from './audit-queries.js';

const entity = z.enum(auditEntities).meta({
  id: 'AuditEntity',
  description: 'What was changed; a location is named by its MPN ID, a holiday by its date',
});
const auditEntry = z
  .strictObject({
    id: z.string(),
    at: z.iso.datetime(),
    actor: z.strictObject({
      id: z
        .string()
        .nullable()
        .meta({ description: 'The user; null for the system (first start, command line)' }),
      name: z.string(),
      role: z.string().meta({ description: "The actor's most powerful role, or system" }),
    }),
    entity,
    entityId: z.string(),
    action: z.enum(auditActions).meta({
      id: 'AuditAction',
      description: 'password_reset: a platform admin set a new password (its value is never recorded)',
    }),
    changes: z.record(z.string(), z.strictObject({ from: z.unknown(), to: z.unknown() })).meta({
      description:
        'The changed fields (API names) with their values before and after; null before a creation and after a deletion. Never a password or a secret.',
    }),
  })
  .meta({ id: 'AuditEntry' });
const auditList = z
  .strictObject({ items: z.array(auditEntry), nextCursor: z.string().nullable() })
  .meta({ id: 'AuditList' });

export function auditRoutes(deps: Deps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/admin/audit',
      {
        schema: {
          tags: ['audit'],
          operationId: 'adminAudit',
          summary:
            'Platform admin: every change of organizations, locations, users, holidays, products and tenants, newest first',
          querystring: z.strictObject({
            entity: entity.optional(),
            entityId: z.string().max(200).optional(),
            actorId: z.string().max(100).optional(),
            limit: pageQuery.limit,
            cursor: z.string().max(100).optional().meta({ description: "The previous page's nextCursor" }),
          }),
          response: answers({ 200: ok(auditList, 'Entries, newest first') }, 422),
        },
      },
      async (req) => {
        const { limit, cursor, ...filter } = req.query;
        return adminAudit(deps, req.actor, filter, limit, cursor);
      },
    );
  };
}
