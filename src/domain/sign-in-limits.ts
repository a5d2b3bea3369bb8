// Sign-in limits (api.md "Bootstrap and people"): failures are counted per account and per
// client address over a sliding window, across every sign-in route together. Once a limit is
// reached, sign-in answers 429 whatever the password until the oldest counted failure leaves
// the window. Pure: the counts come from the record of attempts (sign_in_attempts).
export const signInWindowMs = 15 * 60_000;
export const accountFailureLimit = 10;
export const addressFailureLimit = 100;

/**
 * Seconds until another attempt is allowed, or null when it is allowed now.
 * `nthRecentFailure`: for each limit, the time of the limit-th most recent failure inside the
 * window (undefined when there are fewer).
 */
export function retryAfterSeconds(
  nthRecentFailure: (Date | undefined)[],
  now: Date,
  windowMs = signInWindowMs,
): number | null {
  const until = nthRecentFailure
    .filter((d): d is Date => d !== undefined)
    .map((d) => d.getTime() + windowMs)
    .filter((t) => t > now.getTime());
  if (until.length === 0) return null;
  return Math.max(1, Math.ceil((Math.max(...until) - now.getTime()) / 1000));
}

/** Why a new password is refused, or null. A rule of length and variety, not of symbols (NIST SP 800-63B). */
export function weakPasswordReason(
  password: string,
  context: { email: string; current?: string },
): string | null {
  if ([...password].length < 12) return 'must be at least 12 characters';
  if (password.length > 1000) return 'must be at most 1000 characters';
  if (new Set(password).size < 5) return 'must use at least 5 different characters';
  if (context.current !== undefined && password === context.current)
    return 'must differ from the current password';
  const lower = password.toLowerCase();
  const email = context.email.toLowerCase();
  if (lower.includes(email) || lower === email.split('@')[0])
    return 'must not be or contain the email address';
  return null;
}
