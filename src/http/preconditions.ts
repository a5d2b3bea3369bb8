// Conditional requests on a claim (api.md "Conventions"): its ETag is its version; a write
// with `If-Match` names the version the caller read, and a stale one answers 412.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../domain/errors.js';

/** `If-Match: "3"` (or W/"3", or 3) -> 3; absent or `*` -> undefined (any version). */
export function ifMatchVersion(req: FastifyRequest): number | undefined {
  const h = req.headers['if-match'];
  // RFC 9110: "*" matches whatever version the claim has now.
  if (h === undefined || String(h).trim() === '*') return undefined;
  const m = /^(?:W\/)?"?(\d+)"?$/.exec(String(h).trim());
  if (!m) throw new DomainError('precondition_failed', 'If-Match must be the ETag of the claim, e.g. "3".');
  return Number(m[1]);
}

/** The ETag of a claim's version. */
export const claimEtag = (view: { version: number }) => `"${view.version}"`;

/** Writes the claim's ETag on the answer and gives the view back. */
export function withEtag<T extends { version: number }>(reply: FastifyReply, view: T): T {
  void reply.header('ETag', claimEtag(view));
  return view;
}
