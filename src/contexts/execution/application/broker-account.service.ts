import { Injectable } from '@nestjs/common';
import { ExchangeGateway } from '../domain/execution.ports';
import { nonZero, positionsOf } from './balances';
import { AccountInfoResult, BalanceResult, PingResult, PositionsResult } from './broker.results';
import { BrokerSession } from './broker-session';
import { PaperBrokerService } from './paper-broker.service';
import { stopwatch } from './stopwatch';

/** Seed 002's read-only broker endpoints: connectivity, balances, positions, account info. */
@Injectable()
export class BrokerAccountService {
  constructor(
    private readonly gateway: ExchangeGateway,
    private readonly paper: PaperBrokerService,
    private readonly session: BrokerSession,
  ) {}

  async ping(): Promise<PingResult> {
    const elapsed = stopwatch();
    const { serverTime } = await this.session.upstream(() => this.gateway.ping(this.session.target));
    const latencyMs = elapsed();
    return { mode: this.session.mode, serverTime, clockSkewMs: serverTime - Date.now(), latencyMs };
  }

  private async account(userId: string) {
    const creds = await this.session.creds(userId);
    return this.session.upstream(() => this.gateway.account(this.session.target, creds));
  }

  async balance(userId: string): Promise<BalanceResult> {
    if (await this.paper.active(userId)) return this.paper.balance(userId);
    const a = await this.account(userId);
    return {
      mode: this.session.mode,
      balances: a.balances.filter(nonZero),
      makerCommission: a.makerCommission,
      takerCommission: a.takerCommission,
    };
  }

  async positions(userId: string): Promise<PositionsResult> {
    if (await this.paper.active(userId)) return this.paper.positions(userId);
    const a = await this.account(userId);
    return { mode: this.session.mode, positions: positionsOf(a.balances) };
  }

  async accountInfo(userId: string): Promise<AccountInfoResult> {
    if (await this.paper.active(userId)) return this.paper.accountInfo(userId);
    const a = await this.account(userId);
    return {
      mode: this.session.mode,
      accountType: a.accountType,
      canTrade: a.canTrade,
      permissions: a.permissions,
      makerCommission: a.makerCommission,
      takerCommission: a.takerCommission,
      assetsWithBalance: a.balances.filter(nonZero).length,
    };
  }
}
