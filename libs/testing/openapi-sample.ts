/** The parts of an OpenAPI 3 document the sampler reads. */
interface OpenApiSchema {
  $ref?: string;
  type?: string;
  format?: string;
  example?: unknown;
  default?: unknown;
  enum?: unknown[];
  oneOf?: OpenApiSchema[];
  anyOf?: OpenApiSchema[];
  allOf?: OpenApiSchema[];
  properties?: Record<string, OpenApiSchema>;
  items?: OpenApiSchema;
  readOnly?: boolean;
}
interface OpenApiMedia {
  schema?: OpenApiSchema;
  example?: unknown;
  examples?: Record<string, { value?: unknown }>;
}
interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  example?: unknown;
  schema?: OpenApiSchema;
}
interface OpenApiOperation {
  parameters?: OpenApiParameter[];
  requestBody?: { content: Record<string, OpenApiMedia> };
  responses: Record<string, unknown>;
}
export interface OpenApiDoc {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, OpenApiSchema> };
}

const STRING_FORMATS: Record<string, string> = {
  email: 'user@example.com',
  uuid: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
  'date-time': '2026-01-01T00:00:00.000Z',
  date: '2026-01-01',
};

/**
 * What Swagger UI pre-fills for a schema (its sample generator's rules): the schema's example, else its
 * default, else the first enum value, else the first oneOf/anyOf branch, else a placeholder by type;
 * objects get EVERY property (optional ones too), arrays one item.
 */
export function sampleOf(doc: OpenApiDoc, schema: OpenApiSchema | undefined): unknown {
  if (!schema) return undefined;
  if (schema.$ref) return sampleOf(doc, doc.components.schemas[schema.$ref.split('/').pop()!]);
  if (schema.example !== undefined) return schema.example;
  if (schema.default !== undefined) return schema.default;
  if (schema.enum?.length) return schema.enum[0];
  const branch = schema.oneOf ?? schema.anyOf;
  if (branch?.length) return sampleOf(doc, branch[0]);
  if (schema.allOf) return Object.assign({}, ...schema.allOf.map((s) => sampleOf(doc, s)));
  const type = schema.type ?? (schema.properties ? 'object' : undefined);
  if (type === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(schema.properties ?? {})) if (!v.readOnly) out[k] = sampleOf(doc, v);
    return out;
  }
  if (type === 'array') return [sampleOf(doc, schema.items)];
  if (type === 'string') return STRING_FORMATS[schema.format ?? ''] ?? 'string';
  if (type === 'number' || type === 'integer') return 0;
  if (type === 'boolean') return true;
  return undefined;
}

/**
 * The request bodies /docs pre-fills, one per media type it offers (Swagger UI shows the first and lets you pick
 * another): the media type's example, else its first named example, else the schema's sample.
 */
export function requestExamples(doc: OpenApiDoc, op: OpenApiOperation): { contentType: string; body: unknown }[] {
  return Object.entries(op.requestBody?.content ?? {}).map(([contentType, media]) => {
    const named = media.examples ? Object.values(media.examples)[0]?.value : undefined;
    return { contentType, body: media.example ?? named ?? sampleOf(doc, media.schema) };
  });
}

/** The parameters /docs pre-fills (those with an example or a default), by location. */
export function parameterExamples(op: OpenApiOperation): Record<'path' | 'query' | 'header', Record<string, string>> {
  const out = { path: {}, query: {}, header: {} } as Record<'path' | 'query' | 'header', Record<string, string>>;
  for (const p of op.parameters ?? []) {
    const value = p.example ?? p.schema?.example ?? p.schema?.default;
    if (value !== undefined && p.in !== 'cookie') out[p.in][p.name] = String(value);
  }
  return out;
}
