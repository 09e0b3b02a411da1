import { Injectable } from '@nestjs/common';
import { DomainError } from '@kernel';
import { AppConfig } from '@platform/config/app-config';
import { type Exchange, type ExchangeCredentials, ExchangeKeyInspector, type KeyPermissionReport } from '../../vault';
import { BinanceTarget, ExchangeGateway } from '../domain/execution.ports';
import { judgeKey } from '../domain/key-permissions';
import { Check } from '../domain/risk';
import { ExchangeUpstreamError } from '../domain/upstream-error';

const unread = (e: ExchangeUpstreamError) =>
  `Could not read this key's restrictions from Binance (${e.kind}${e.upstreamCode !== null ? ` ${e.upstreamCode}` : ''}: ` +
  `${e.upstreamMessage}); check on Binance that withdrawals, margin and futures are off and the key is IP-restricted`;

/**
 * Seed 002's key rules, read from Binance (GET /sapi/v1/account/apiRestrictions): the
 * vault asks through its ExchangeKeyInspector port before storing a key, prepare asks again
 * (the key can be edited on Binance after it was saved).
 */
@Injectable()
export class KeyPermissionsService extends ExchangeKeyInspector {
  constructor(
    private readonly gateway: ExchangeGateway,
    private readonly config: AppConfig,
  ) {
    super();
  }

  private get target(): BinanceTarget {
    return this.config.liveTrading ? 'live' : 'testnet';
  }

  async inspect(exchange: Exchange, creds: ExchangeCredentials): Promise<KeyPermissionReport | null> {
    if (exchange !== 'BINANCE') return null;
    try {
      const r = await this.gateway.keyRestrictions(this.target, creds);
      const verdict = judgeKey(r, this.config.allowWithdrawalKeys);
      return {
        checked: true,
        withdrawalsEnabled: r.enableWithdrawals,
        marginEnabled: r.enableMargin,
        futuresEnabled: r.enableFutures,
        ipRestricted: r.ipRestrict,
        refusal: verdict.refusal,
        warnings: verdict.warnings,
      };
    } catch (e) {
      if (!(e instanceof ExchangeUpstreamError)) throw e;
      const none = { withdrawalsEnabled: null, marginEnabled: null, futuresEnabled: null, ipRestricted: null };
      return { checked: false, ...none, refusal: null, warnings: [unread(e)] };
    }
  }

  /** prepare's checks; a key with withdrawals enabled is refused (400) as on save. */
  async checks(creds: ExchangeCredentials): Promise<Check[]> {
    let verdict;
    try {
      verdict = judgeKey(await this.gateway.keyRestrictions(this.target, creds), this.config.allowWithdrawalKeys);
    } catch (e) {
      if (!(e instanceof ExchangeUpstreamError)) throw e;
      return [{ name: 'key_permissions', passed: true, skipped: true, warning: true, message: unread(e) }];
    }
    if (verdict.refusal) throw DomainError.invalid('key_withdrawals_enabled', verdict.refusal, { checks: verdict.checks });
    return verdict.checks;
  }
}
