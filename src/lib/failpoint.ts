// Failpoints: named places where a test kills the process on purpose, to prove that a crash
// there loses nothing (issue 11, docs/reliability.md). Set CPOR_FAILPOINTS to a comma-separated
// list of names; the process then dies with SIGKILL the first time it reaches one. Ignored
// unless NODE_ENV says test or development (unset counts as production, as in config.ts).
const armed = new Set(
  process.env.NODE_ENV !== 'test' && process.env.NODE_ENV !== 'development'
    ? []
    : (process.env.CPOR_FAILPOINTS ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
);

export function failpoint(name: string): void {
  if (armed.has(name)) process.kill(process.pid, 'SIGKILL');
}
