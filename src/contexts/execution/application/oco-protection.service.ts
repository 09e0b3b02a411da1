import { Injectable } from '@nestjs/common';
import type { ExchangeCredentials } from '../../vault';
import { BinanceTarget, ExchangeGateway, ExchangeOco } from '../domain/execution.ports';
import { Side } from '../domain/order-spec';
import { Protection } from '../domain/protection';
import { ExchangeUpstreamError, toDomainError } from '../domain/upstream-error';
import { ProtectionError } from './broker.results';

export interface ProtectionOutcome {
  oco: ExchangeOco | null;
  error: ProtectionError | null;
  failure: ExchangeUpstreamError | null;
}

export interface OcoClientIds {
  listClientOrderId: string;
  takeProfitClientOrderId: string;
  stopLossClientOrderId: string;
}

/** The OCO (take profit + stop loss) on the opposite side of a placed entry; a refusal is reported, not thrown. */
@Injectable()
export class OcoProtectionService {
  constructor(private readonly gateway: ExchangeGateway) {}

  async place(
    target: BinanceTarget,
    creds: ExchangeCredentials,
    entry: { symbol: string; side: Side; qty: string },
    p: Protection,
    ids: OcoClientIds,
  ): Promise<ProtectionOutcome> {
    try {
      const oco = await this.gateway.placeOco(target, creds, {
        symbol: entry.symbol,
        side: entry.side === 'BUY' ? 'SELL' : 'BUY',
        qty: entry.qty,
        takeProfit: p.takeProfit.toFixed(),
        stopLoss: p.stopLoss.toFixed(),
        ...ids,
      });
      return { oco, error: null, failure: null };
    } catch (e) {
      if (!(e instanceof ExchangeUpstreamError)) throw e;
      const d = toDomainError(e).details ?? {};
      return {
        oco: null,
        error: { code: d.code as number | string, upstreamStatus: e.upstreamStatus, message: e.upstreamMessage },
        failure: e,
      };
    }
  }
}
