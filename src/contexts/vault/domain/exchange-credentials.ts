export const EXCHANGES = ['BINANCE', 'IBKR', 'CRYPTO_COM'] as const;
export type Exchange = (typeof EXCHANGES)[number];

/** Decrypted credentials: exist only for the duration of one exchange call. */
export interface ExchangeCredentials {
  apiKey: string;
  apiSecret: string;
}

/**
 * The vault's public port (exported by its index.ts), provided globally by VaultModule. Other
 * contexts (execution, exchange-sync) call it at the moment of use and never
 * store or log the result.
 */
export abstract class ExchangeCredentialsProvider {
  /** null when the user has none for that exchange. */
  abstract reveal(userId: string, exchange: Exchange): Promise<ExchangeCredentials | null>;
  abstract hasCredentials(userId: string, exchange: Exchange): Promise<boolean>;
  /** Ids of users with credentials for the exchange (for the sync job). */
  abstract usersWith(exchange: Exchange): Promise<string[]>;
}
