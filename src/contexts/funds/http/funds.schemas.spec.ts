import Fastify from 'fastify';
import { Decimal } from '@kernel';
import { FUND_LIST_SCHEMA, TRANSACTION_SCHEMA } from './funds.schemas';
import { toFundResponse, toTransactionResponse } from './funds.mappers';

/** The compiled serializer must give byte for byte what JSON.stringify gives for a mapped answer. */
async function serialized(schema: object, body: unknown): Promise<string> {
  const app = Fastify();
  app.get('/', { schema: { response: { 200: schema } } }, async () => body);
  const res = await app.inject({ method: 'GET', url: '/' });
  await app.close();
  return res.body;
}

describe('funds response schemas', () => {
  it('the fund list serializes exactly as JSON.stringify would', async () => {
    const funds = [
      toFundResponse({ id: 1, name: 'FPV_BTG_PACTUAL_RECAUDADORA', minAmount: new Decimal(75000), category: 'FPV', currency: 'COP' }),
      toFundResponse({ id: 4, name: 'FDO-ACCIONES', minAmount: new Decimal('250000'), category: 'FIC', currency: 'COP' }),
    ];
    expect(await serialized(FUND_LIST_SCHEMA, funds)).toBe(JSON.stringify(funds));
  });

  it.each([null, '0b7e1b8e-8f0c-4c36-9d1e-6f4f2c1a9b10'])('a transaction (correlation_id %s) serializes exactly', async (correlationId) => {
    const tx = toTransactionResponse({
      id: '5d1f6f36-2b2e-4a7f-9a57-7b0d3d1c2e11',
      userId: 'u',
      seq: 3,
      fundId: 3,
      fundName: 'DEUDAPRIVADA',
      type: correlationId ? 'CANCELLATION' : 'SUBSCRIPTION',
      amount: new Decimal('50000'),
      balanceAfter: new Decimal('450000'),
      currency: 'COP',
      createdAt: new Date('2026-12-01T10:00:00.123Z'),
      correlationId,
    });
    expect(await serialized(TRANSACTION_SCHEMA, tx)).toBe(JSON.stringify(tx));
  });
});
