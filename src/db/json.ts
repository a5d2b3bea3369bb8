/** A value for a jsonb column: JSON text on both drivers (pg and PGlite), null for absent. */
export const json = (v: unknown) => JSON.stringify(v ?? null);
