// The OpenAPI document as the API tests read it: its operations, and a small valid value for
// any of its schemas (test/isolation.test.ts, test/openapi-fuzz.test.ts).
export interface Schema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minItems?: number;
  minLength?: number;
  minimum?: number;
  format?: string;
}
export interface Operation {
  summary?: string;
  requestBody?: { content?: Record<string, { schema: Schema }> };
}
export interface Route {
  method: string;
  path: string;
  op: Operation;
}

/** A small valid value for a JSON schema: enums take their first value, objects their required fields. */
export function example(s: Schema): unknown {
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  const alt = s.anyOf ?? s.oneOf;
  if (alt) return example(alt.find((x) => x.type !== 'null') ?? alt[0]!);
  const type = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
  switch (type) {
    case 'object':
      return Object.fromEntries((s.required ?? []).map((k) => [k, example(s.properties?.[k] ?? {})]));
    case 'array':
      return Array.from({ length: s.minItems ?? 0 }, () => example(s.items ?? {}));
    case 'boolean':
      return false;
    case 'integer':
    case 'number':
      return s.minimum ?? 1;
    case 'string':
      return s.format === 'email' ? 'someone@example.com' : 'x'.repeat(Math.max(1, s.minLength ?? 1));
    case undefined:
    default:
      return {};
  }
}
