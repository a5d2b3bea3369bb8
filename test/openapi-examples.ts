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

/**
 * The document with every `{$ref: '#/components/schemas/X'}` replaced by the schema it names
 * (named enums and objects are components), so that `example` reads plain schemas.
 */
export function inlineRefs<T>(doc: T): T {
  const schemas = (doc as { components?: { schemas?: Record<string, unknown> } }).components?.schemas ?? {};
  const walk = (v: unknown, depth: number): unknown => {
    if (Array.isArray(v)) return v.map((x) => walk(x, depth));
    if (!v || typeof v !== 'object') return v;
    const ref = (v as { $ref?: unknown }).$ref;
    if (typeof ref === 'string' && ref.startsWith('#/components/schemas/') && depth < 20) {
      return walk(schemas[ref.slice('#/components/schemas/'.length)], depth + 1);
    }
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, depth)]));
  };
  return walk(doc, 0) as T;
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
