import { Decimal } from '@kernel';
import { OrderSpec } from './order-spec';
import { onStep, SymbolRules, USD_QUOTES } from './symbol-rules';

export interface Check {
  name: string;
  passed: boolean;
  /** Could not be evaluated without calling out (dry run); does not fail the run. */
  skipped?: boolean;
  /** Passed, but worth a look (a key with margin enabled, no IP whitelist). */
  warning?: boolean;
  message: string;
}

export interface RiskLimits {
  maxNotionalUsd: Decimal;
  maxExposurePerSymbolUsd: Decimal;
}

export interface KillSwitchState {
  engaged: boolean;
  reason: string | null;
  changedBy: string | null;
  changedAt: Date | null;
}

export interface RiskInput {
  spec: OrderSpec;
  /** null: the symbol's filters are unknown (not cached in a dry run, or no such symbol). */
  rules: SymbolRules | null;
  rulesKnown: boolean;
  /** The LIMIT price, or the last traded price for MARKET orders; null when unknown. */
  referencePrice: Decimal | null;
  /** Quote currency when rules are unknown (IBKR quotes in USD). */
  quoteAsset?: string;
  limits: RiskLimits;
  /** Net USD notional of this user's live orders on the symbol. */
  currentExposureUsd: Decimal;
}

const skip = (name: string, message: string): Check => ({ name, passed: true, skipped: true, message });
const ok = (name: string, message: string): Check => ({ name, passed: true, message });
const fail = (name: string, message: string): Check => ({ name, passed: false, message });

/**
 * The risk manager's rules, pure: exchange filters (LOT_SIZE, PRICE_FILTER,
 * MIN_NOTIONAL/NOTIONAL), max notional per order and max exposure per symbol.
 * The kill switch is checked by the caller (it is a 423, not a check).
 */
export function evaluateRisk(input: RiskInput): Check[] {
  const { spec, rules, referencePrice, limits } = input;
  const checks: Check[] = [];

  if (spec.exchange === 'BINANCE') {
    if (!input.rulesKnown) {
      checks.push(skip('exchange_filters', 'Exchange filters not cached yet: checked on the real order path (a dry run never calls out)'));
    } else if (!rules) {
      checks.push(fail('symbol_listed', `Symbol ${spec.symbol} is not listed on the exchange`));
      return checks;
    } else {
      checks.push(
        rules.status === 'TRADING'
          ? ok('symbol_listed', `${spec.symbol} is TRADING (${rules.baseAsset}/${rules.quoteAsset})`)
          : fail('symbol_listed', `${spec.symbol} is not trading (status ${rules.status})`),
      );
      checks.push(...filterChecks(spec, rules, referencePrice));
    }
  }

  const quote = rules?.quoteAsset ?? input.quoteAsset;
  if (!referencePrice) {
    checks.push(skip('max_notional_usd', 'No price known to compute the notional (give a LIMIT price to check it in a dry run)'));
    checks.push(skip('max_exposure_per_symbol', 'No price known to compute the exposure'));
    return checks;
  }
  if (!quote || !USD_QUOTES.has(quote)) {
    checks.push(
      fail('max_notional_usd', `Notional in USD cannot be computed for quote ${quote ?? 'unknown'}: only USD-pegged quotes are supported`),
    );
    return checks;
  }
  const notional = spec.qty.times(referencePrice);
  checks.push(
    notional.lte(limits.maxNotionalUsd)
      ? ok('max_notional_usd', `Notional ${notional.toFixed()} USD <= ${limits.maxNotionalUsd.toFixed()} USD`)
      : fail(
          'max_notional_usd',
          `Notional ${notional.toFixed()} USD exceeds the per-order limit of ${limits.maxNotionalUsd.toFixed()} USD`,
        ),
  );
  const after = spec.side === 'BUY' ? input.currentExposureUsd.plus(notional) : input.currentExposureUsd.minus(notional);
  checks.push(
    spec.side === 'SELL' || after.lte(limits.maxExposurePerSymbolUsd)
      ? ok(
          'max_exposure_per_symbol',
          `Exposure on ${spec.symbol} after the order: ${Decimal.max(after, 0).toFixed()} USD (limit ${limits.maxExposurePerSymbolUsd.toFixed()})`,
        )
      : fail(
          'max_exposure_per_symbol',
          `Exposure on ${spec.symbol} would reach ${after.toFixed()} USD, above the limit of ${limits.maxExposurePerSymbolUsd.toFixed()} USD`,
        ),
  );
  return checks;
}

function filterChecks(spec: OrderSpec, rules: SymbolRules, price: Decimal | null): Check[] {
  const checks: Check[] = [];
  if (rules.lotSize) {
    const { minQty, maxQty, stepSize } = rules.lotSize;
    if (spec.qty.lt(minQty))
      checks.push(fail('lot_size', `Filter failure: LOT_SIZE: qty ${spec.qty.toFixed()} is below the minimum ${minQty.toFixed()}`));
    else if (!maxQty.isZero() && spec.qty.gt(maxQty))
      checks.push(fail('lot_size', `Filter failure: LOT_SIZE: qty ${spec.qty.toFixed()} is above the maximum ${maxQty.toFixed()}`));
    else if (!onStep(spec.qty, minQty, stepSize))
      checks.push(
        fail('lot_size', `Filter failure: LOT_SIZE: qty ${spec.qty.toFixed()} is not a multiple of the step ${stepSize.toFixed()}`),
      );
    else
      checks.push(
        ok('lot_size', `qty ${spec.qty.toFixed()} within LOT_SIZE [${minQty.toFixed()}, ${maxQty.toFixed()}] step ${stepSize.toFixed()}`),
      );
  }
  const mls = rules.marketLotSize;
  if (spec.type === 'MARKET' && mls && !mls.maxQty.isZero()) {
    if (spec.qty.lt(mls.minQty) || spec.qty.gt(mls.maxQty) || !onStep(spec.qty, mls.minQty, mls.stepSize)) {
      checks.push(
        fail(
          'market_lot_size',
          `Filter failure: MARKET_LOT_SIZE: qty ${spec.qty.toFixed()} outside [${mls.minQty.toFixed()}, ${mls.maxQty.toFixed()}]`,
        ),
      );
    } else checks.push(ok('market_lot_size', `qty ${spec.qty.toFixed()} within MARKET_LOT_SIZE`));
  }
  if (spec.price && rules.priceFilter) {
    const { minPrice, maxPrice, tickSize } = rules.priceFilter;
    if (!minPrice.isZero() && spec.price.lt(minPrice))
      checks.push(fail('price_filter', `Filter failure: PRICE_FILTER: price ${spec.price.toFixed()} is below ${minPrice.toFixed()}`));
    else if (!maxPrice.isZero() && spec.price.gt(maxPrice))
      checks.push(fail('price_filter', `Filter failure: PRICE_FILTER: price ${spec.price.toFixed()} is above ${maxPrice.toFixed()}`));
    else if (!onStep(spec.price, minPrice, tickSize))
      checks.push(
        fail(
          'price_filter',
          `Filter failure: PRICE_FILTER: price ${spec.price.toFixed()} is not a multiple of the tick ${tickSize.toFixed()}`,
        ),
      );
    else checks.push(ok('price_filter', `price ${spec.price.toFixed()} within PRICE_FILTER`));
  }
  if (rules.notional) {
    const applies = spec.type === 'LIMIT' || rules.notional.applyToMarket;
    if (!applies) checks.push(ok('min_notional', 'NOTIONAL does not apply to MARKET orders on this symbol'));
    else if (!price) checks.push(skip('min_notional', 'No price known to check NOTIONAL'));
    else {
      const n = spec.qty.times(price);
      if (n.lt(rules.notional.min))
        checks.push(
          fail(
            'min_notional',
            `Filter failure: NOTIONAL: ${n.toFixed()} is below the minimum ${rules.notional.min.toFixed()} ${rules.quoteAsset}`,
          ),
        );
      else if (rules.notional.max && !rules.notional.max.isZero() && n.gt(rules.notional.max))
        checks.push(
          fail(
            'min_notional',
            `Filter failure: NOTIONAL: ${n.toFixed()} is above the maximum ${rules.notional.max.toFixed()} ${rules.quoteAsset}`,
          ),
        );
      else checks.push(ok('min_notional', `Notional ${n.toFixed()} ${rules.quoteAsset} >= ${rules.notional.min.toFixed()}`));
    }
  }
  return checks;
}

export const failedChecks = (checks: Check[]): Check[] => checks.filter((c) => !c.passed);
