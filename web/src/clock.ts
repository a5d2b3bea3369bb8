// The server's "now", for relative times ("due in 3 days"). Normally the browser's clock;
// when the server runs with the test clock (CPOR_TEST_CLOCK=1, tests and demos), GET /me
// gives the time the deadlines are computed against (the test clock itself answers only a
// platform admin).
let offsetMs = 0;

export function now(): number {
  return Date.now() + offsetMs;
}

/** Takes the server's now from GET /me (its `now`). */
export function syncServerClock(serverNow: string | undefined): void {
  const t = serverNow ? new Date(serverNow).getTime() : NaN;
  offsetMs = Number.isNaN(t) ? 0 : t - Date.now();
}
