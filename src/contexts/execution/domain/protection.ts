import { Decimal, DomainError, FieldError } from '@kernel';
import { MAX_PRICE, parseAmount, Side } from './order-spec';
import { onStep, SymbolRules } from './symbol-rules';

/** An OCO protection on the opposite side of an entry: both prices, or none. */
export interface Protection {
  stopLoss: Decimal;
  takeProfit: Decimal;
}

const fail = (errors: FieldError[]): never => {
  throw DomainError.validation(errors);
};

/** null without stop_loss and take_profit; both are needed, on the right sides of the entry price. */
export function parseProtection(side: Side, price: Decimal, input: { stop_loss?: unknown; take_profit?: unknown }): Protection | null {
  const has = (v: unknown) => v !== undefined && v !== null;
  if (!has(input.stop_loss) && !has(input.take_profit)) return null;
  const errors: FieldError[] = [];
  if (!has(input.stop_loss))
    errors.push({ field: 'stop_loss', messages: ['stop_loss is required with take_profit (OCO protection needs both)'] });
  if (!has(input.take_profit))
    errors.push({ field: 'take_profit', messages: ['take_profit is required with stop_loss (OCO protection needs both)'] });
  const stopLoss = has(input.stop_loss) ? parseAmount(input.stop_loss, 'stop_loss', MAX_PRICE, errors) : undefined;
  const takeProfit = has(input.take_profit) ? parseAmount(input.take_profit, 'take_profit', MAX_PRICE, errors) : undefined;
  if (stopLoss && takeProfit) {
    const long = side === 'BUY';
    if (long ? !stopLoss.lt(price) : !stopLoss.gt(price))
      errors.push({ field: 'stop_loss', messages: [`stop_loss must be ${long ? 'below' : 'above'} the price for a ${side}`] });
    if (long ? !takeProfit.gt(price) : !takeProfit.lt(price))
      errors.push({ field: 'take_profit', messages: [`take_profit must be ${long ? 'above' : 'below'} the price for a ${side}`] });
  }
  if (errors.length) fail(errors);
  return { stopLoss: stopLoss!, takeProfit: takeProfit! };
}

/** Both legs' prices on the symbol's tick (PRICE_FILTER), before anything is sent. */
export function assertProtectionOnTick(p: Protection, rules: SymbolRules | undefined | null): void {
  if (!rules?.priceFilter) return;
  const { minPrice, tickSize } = rules.priceFilter;
  for (const [field, v] of [
    ['stop_loss', p.stopLoss],
    ['take_profit', p.takeProfit],
  ] as const) {
    if (!onStep(v, minPrice, tickSize)) fail([{ field, messages: [`must be a multiple of the tick ${tickSize.toFixed()}`] }]);
  }
}
