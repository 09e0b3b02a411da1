import type { Exchange, ExchangeCredentials } from './exchange-credentials';

/** What an exchange says a key may do, read when it is saved (seed 002: spot only, no withdrawals, IP whitelist). */
export interface KeyPermissionReport {
  /** false: the exchange could not be asked (down, testnet without the endpoint, unknown key); the reason is a warning. */
  checked: boolean;
  withdrawalsEnabled: boolean | null;
  marginEnabled: boolean | null;
  futuresEnabled: boolean | null;
  ipRestricted: boolean | null;
  /** Set: the key must not be stored, and this says why. */
  refusal: string | null;
  warnings: string[];
}

/**
 * The vault asks before it stores a key; the context that talks to the exchange
 * answers (execution, for Binance). null: nothing to check for that exchange.
 */
export abstract class ExchangeKeyInspector {
  abstract inspect(exchange: Exchange, creds: ExchangeCredentials): Promise<KeyPermissionReport | null>;
}
