// R-CONS-1: the consent link's token is signed; anything else reads as no token at all.
import { describe, expect, it } from 'vitest';
import { consentToken, readConsentToken, tokenHash } from './consent-tokens.js';

const secret = 'a-secret-of-sixteen-or-more';
const claimId = '6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';
const endsAt = new Date('2026-05-29T12:00:00Z');

describe('consent tokens', () => {
  it('round-trips the claim and the end of its window', () => {
    const token = consentToken(secret, claimId, endsAt);
    expect(token).toMatch(/^[0-9a-f-]{36}\.[0-9a-z]+\.[A-Za-z0-9_-]{43}$/);
    expect(readConsentToken(secret, token)).toEqual({ claimId, endsAt });
  });

  it('refuses another secret, a changed window end or claim, and garbage', () => {
    const token = consentToken(secret, claimId, endsAt);
    const [id, end, sig] = token.split('.') as [string, string, string];
    expect(readConsentToken('another-secret-of-sixteen', token)).toBeNull();
    expect(readConsentToken(secret, `${id}.${(parseInt(end, 36) + 1).toString(36)}.${sig}`)).toBeNull();
    expect(readConsentToken(secret, `${id.replace(/^6/, '7')}.${end}.${sig}`)).toBeNull();
    expect(readConsentToken(secret, `${token}x`)).toBeNull();
    expect(readConsentToken(secret, '')).toBeNull();
    expect(readConsentToken(secret, '../../etc/passwd')).toBeNull();
  });

  it('accepts only the canonical spelling of the window end: no leading zeros (issue 10 point 7)', () => {
    const token = consentToken(secret, claimId, endsAt);
    const [id, end, sig] = token.split('.') as [string, string, string];
    expect(readConsentToken(secret, `${id}.0${end}.${sig}`)).toBeNull();
    expect(readConsentToken(secret, `${id}.00${end}.${sig}`)).toBeNull();
    expect(readConsentToken(secret, `${id}.${end.toUpperCase()}.${sig}`)).toBeNull();
  });

  it('is stored only as a hash', () => {
    const token = consentToken(secret, claimId, endsAt);
    expect(tokenHash(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(tokenHash(token)).not.toContain(claimId);
  });
});
