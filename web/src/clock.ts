// The server's "now", for relative times ("due in 3 days"). Normally the browser's clock;
// when the server runs with the test clock (CPOR_TEST_CLOCK=1, tests and demos), its
// GET /api/v1/test-clock gives the time the deadlines are computed against.
let offsetMs = 0;

export function now(): number {
  return Date.now() + offsetMs;
}

export async function syncServerClock(): Promise<void> {
  try {
    const res = await fetch('/api/v1/test-clock', { credentials: 'same-origin' });
    if (!res.ok) return; // no test clock: the browser's clock is right
    const body = (await res.json()) as { now?: string };
    const t = body.now ? new Date(body.now).getTime() : NaN;
    if (!Number.isNaN(t)) offsetMs = t - Date.now();
  } catch {
    // keep the browser's clock
  }
}
