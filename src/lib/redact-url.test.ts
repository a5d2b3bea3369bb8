// Issue 10 point 7: no secret of a URL reaches the request log.
import { describe, expect, it } from 'vitest';
import { redactUrl } from './redact-url.js';

describe('redactUrl', () => {
  it('masks consent tokens in the page, the API and its deny route', () => {
    const token = '6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0.mf3k2l0g.abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ';
    expect(redactUrl(`/consent/${token}`)).toBe('/consent/[redacted]');
    expect(redactUrl(`/api/v1/consent/${token}`)).toBe('/api/v1/consent/[redacted]');
    expect(redactUrl(`/api/v1/consent/${token}/deny?x=1`)).toBe('/api/v1/consent/[redacted]/deny?x=1');
  });

  it('masks credential-like query parameters and keeps the rest', () => {
    expect(redactUrl('/api/v1/claims?status=draft&token=abc&Password=p&limit=5')).toBe(
      '/api/v1/claims?status=draft&token=[redacted]&Password=[redacted]&limit=5',
    );
    expect(redactUrl('/api/v1/claims/1234')).toBe('/api/v1/claims/1234');
  });
});
