import { createHash } from 'node:crypto';

/** Hex SHA-256 of a text. */
export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
