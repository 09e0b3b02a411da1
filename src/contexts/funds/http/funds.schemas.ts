/**
 * Fastify response schemas for the hot funds routes: Fastify compiles each into a
 * serializer (fast-json-stringify) instead of calling JSON.stringify per answer.
 * They mirror the response DTOs in funds.dto.ts (funds.schemas.spec.ts checks that a
 * mapped answer serializes to exactly what JSON.stringify gives); a property missing
 * here would be dropped from the answer, so keep both in step.
 */
const money = { type: 'number' } as const;
const str = { type: 'string' } as const;

export const FUND_SCHEMA = {
  type: 'object',
  required: ['id', 'name', 'min_amount', 'category', 'currency'],
  properties: { id: { type: 'integer' }, name: str, min_amount: money, category: str, currency: str },
  additionalProperties: false,
} as const;

export const TRANSACTION_SCHEMA = {
  type: 'object',
  required: ['id', 'transaction_id', 'fund_id', 'fund_name', 'type', 'amount', 'balance_after', 'currency', 'created_at', 'correlation_id'],
  properties: {
    id: str,
    transaction_id: str,
    fund_id: { type: 'integer' },
    fund_name: str,
    type: str,
    amount: money,
    balance_after: money,
    currency: str,
    created_at: str,
    correlation_id: { type: ['string', 'null'] },
  },
  additionalProperties: false,
} as const;

export const FUND_LIST_SCHEMA = { type: 'array', items: FUND_SCHEMA } as const;
