import { Injectable } from '@nestjs/common';
import { DomainError } from '@kernel';
import { type ExchangeCredentials, ExchangeCredentialsProvider } from '../../vault';
import { AppConfig } from '@platform/config/app-config';
import { BinanceTarget } from '../domain/execution.ports';
import { ExchangeUpstreamError, toDomainError } from '../domain/upstream-error';

/** What every broker use case needs: the Binance target and mode, the user's key, upstream errors mapped. */
@Injectable()
export class BrokerSession {
  constructor(
    private readonly credentials: ExchangeCredentialsProvider,
    private readonly config: AppConfig,
  ) {}

  get target(): BinanceTarget {
    return this.config.liveTrading ? 'live' : 'testnet';
  }

  get mode(): string {
    return this.target === 'live' ? 'REAL TRADING' : 'TESTNET';
  }

  async creds(userId: string): Promise<ExchangeCredentials> {
    const c = await this.credentials.reveal(userId, 'BINANCE');
    if (!c) throw DomainError.invalid('missing_credentials', 'Missing credentials for BINANCE');
    return c;
  }

  /** Runs an exchange call; an ExchangeUpstreamError becomes the controlled DomainError (502 / 404). */
  async upstream<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (e) {
      throw e instanceof ExchangeUpstreamError ? toDomainError(e) : e;
    }
  }
}
