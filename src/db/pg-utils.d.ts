// The one function of pg's utils that src/db/inline.ts uses (pg exports `pg/lib/*`; its
// types do not declare it): a parameter's value as pg sends it, text or a Buffer.
declare module 'pg/lib/utils.js' {
  export function prepareValue(value: unknown): string | Buffer | null;
}
