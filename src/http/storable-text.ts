// One wall for text PostgreSQL cannot store: its text and jsonb types refuse NUL characters,
// which would reach the database as a 500. Every path parameter, query parameter and JSON body
// string is checked before validation, and a refusal names where the NUL is.
import type { FastifyInstance } from 'fastify';
import { validationFailed, type FieldError } from '../domain/errors.js';

function nulPaths(value: unknown, path: string, out: FieldError[]) {
  if (out.length >= 20) return;
  if (typeof value === 'string') {
    if (value.includes('\u0000'))
      out.push({ path, message: 'must not contain NUL characters', code: 'nul_character' });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => nulPaths(v, path ? `${path}.${i}` : String(i), out));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k.includes('\u0000'))
        out.push({
          path: path ? `${path}.${k}` : k,
          message: 'must not contain NUL characters',
          code: 'nul_character',
        });
      nulPaths(v, path ? `${path}.${k}` : k, out);
    }
  }
}

export function refuseUnstorableText(app: FastifyInstance) {
  app.addHook('preValidation', async (req) => {
    const errors: FieldError[] = [];
    nulPaths(req.params, '', errors);
    nulPaths(req.query, '', errors);
    if (!req.isMultipart()) nulPaths(req.body, '', errors);
    if (errors.length) throw validationFailed(errors);
  });
}
