import { Injectable } from '@nestjs/common';
import { AuditTrail, Decimal, DomainError, RequestMeta } from '@kernel';
import { type ExchangeCredentials, ExchangeCredentialsProvider } from '../../vault';
import { AppConfig } from '@platform/config/app-config';
import { clientOrderId } from '../domain/client-order-id';
import { BinanceOrderRequest, BrokerOrderRepository, ExchangeGateway, IbkrGateway, RequestPreview } from '../domain/execution.ports';
import { OrderSpec, parseOrderSpec, RawOrderInput, Venue } from '../domain/order-spec';
import { Check, evaluateRisk, failedChecks } from '../domain/risk';
import { ExchangeUpstreamError, toDomainError } from '../domain/upstream-error';
import { KillSwitchService } from './kill-switch.service';
import { MarketDataService } from './market-data.service';
import { RiskManager } from './risk-manager.service';
import { KeyPermissionsService } from './key-permissions.service';
import { PaperCheckResult, PrepareResult, specSummary, TestOrderResult } from './execution.results';
import { stopwatch } from './stopwatch';

@Injectable()
export class ExecutionService {
  constructor(
    private readonly credentials: ExchangeCredentialsProvider,
    private readonly gateway: ExchangeGateway,
    private readonly ibkr: IbkrGateway,
    private readonly market: MarketDataService,
    private readonly risk: RiskManager,
    private readonly orders: BrokerOrderRepository,
    private readonly killSwitch: KillSwitchService,
    private readonly audit: AuditTrail,
    private readonly config: AppConfig,
    private readonly keyPermissions: KeyPermissionsService,
  ) {}

  private get maxQty(): Decimal {
    return new Decimal(this.config.riskMaxQty);
  }

  private async requireCredentials(userId: string, exchange: Venue): Promise<ExchangeCredentials> {
    const creds = await this.credentials.reveal(userId, exchange);
    if (!creds) throw DomainError.invalid('missing_credentials', `Missing credentials for ${exchange}`);
    return creds;
  }

  /** A dry run: sends no order; the one call out is Binance's read of the key's restrictions. */
  async prepare(userId: string, input: RawOrderInput, meta: RequestMeta): Promise<PrepareResult> {
    const spec = parseOrderSpec(input, { maxQty: this.maxQty });
    // Opened, not just found: a row no key in the keyring decrypts would make every broker call fail later.
    let creds: ExchangeCredentials | null = null;
    const opened = await this.credentials.reveal(userId, spec.exchange).then(
      (c) => {
        creds = c;
        return c ? null : 'missing';
      },
      (e: Error) => e.message,
    );
    if (opened === 'missing') {
      await this.audit.record(
        { eventType: 'execution.prepare', outcome: 'failure', userId, payload: { ...specSummary(spec), reason: 'missing_credentials' } },
        meta,
      );
      throw DomainError.invalid('missing_credentials', `Missing credentials for ${spec.exchange}`);
    }
    const checks: Check[] = [
      opened
        ? { name: 'credentials', passed: false, message: `Stored ${spec.exchange} credentials cannot be used: ${opened}` }
        : { name: 'credentials', passed: true, message: `Credentials for ${spec.exchange} are stored (encrypted) and decrypt` },
    ];
    if (creds && spec.exchange === 'BINANCE') {
      try {
        checks.push(...(await this.keyPermissions.checks(creds)));
      } catch (e) {
        if (e instanceof DomainError) {
          await this.audit.record(
            { eventType: 'execution.prepare', outcome: 'failure', userId, payload: { ...specSummary(spec), reason: e.code } },
            meta,
          );
        }
        throw e;
      }
    }
    checks.push({ name: 'symbol', passed: true, message: `${spec.symbol} is a valid ${spec.exchange} symbol` });
    checks.push({ name: 'side', passed: true, message: spec.side });
    checks.push({ name: 'qty', passed: true, message: `qty ${spec.qty.toFixed()} is positive and bounded` });
    const ks = await this.killSwitch.state();
    checks.push(
      ks.engaged
        ? { name: 'kill_switch', passed: false, message: `Kill switch engaged: ${ks.reason ?? ''}`.trim() }
        : { name: 'kill_switch', passed: true, message: 'Kill switch released' },
    );
    const target = 'testnet';
    let preview: RequestPreview;
    if (spec.exchange === 'BINANCE') {
      const cached = this.market.cachedRules(target, spec.symbol);
      checks.push(
        ...evaluateRisk({
          spec,
          rules: cached.rules,
          rulesKnown: cached.known,
          referencePrice: spec.price ?? this.market.cachedPrice(target, spec.symbol),
          limits: this.risk.limits(),
          currentExposureUsd: await this.orders.exposureUsd(userId, spec.symbol),
        }),
      );
      preview = this.gateway.previewOrder(target, this.orderRequest(spec, '<generated when sent>'), true);
    } else {
      checks.push(...this.ibkrRisk(spec));
      const account = this.config.ibkrAccountId ?? '<first gateway account>';
      preview = {
        method: 'POST',
        url: `${this.config.ibkrBaseUrl ?? '<IBKR_BASE_URL not set>'}/iserver/account/${account}/orders/whatif`,
        path: `/iserver/account/${account}/orders/whatif`,
        params: {
          conid: `<looked up for ${spec.symbol}>`,
          orderType: spec.type === 'LIMIT' ? 'LMT' : 'MKT',
          side: spec.side,
          quantity: spec.qty.toFixed(),
          tif: 'DAY',
          ...(spec.price ? { price: spec.price.toFixed() } : {}),
        },
        headers: { 'Content-Type': 'application/json' },
        signed: false,
      };
    }
    const passed = checks.every((c) => c.passed);
    await this.audit.record(
      {
        eventType: 'execution.prepare',
        outcome: 'success',
        userId,
        payload: { ...specSummary(spec), passed, failed: failedChecks(checks).map((c) => c.name) },
      },
      meta,
    );
    return { spec, passed, checks, requestPreview: preview };
  }

  /** IBKR has no exchange filters here and quotes in USD: the notional limits only, at the LIMIT price when given. */
  private ibkrRisk(spec: OrderSpec): Check[] {
    return evaluateRisk({
      spec,
      rules: null,
      rulesKnown: false,
      referencePrice: spec.price ?? null,
      quoteAsset: 'USD',
      limits: this.risk.limits(),
      currentExposureUsd: new Decimal(0),
    });
  }

  orderRequest(spec: OrderSpec, id: string): BinanceOrderRequest {
    return {
      symbol: spec.symbol,
      side: spec.side,
      type: spec.type,
      qty: spec.qty.toFixed(),
      price: spec.price?.toFixed(),
      clientOrderId: id,
    };
  }

  /** Signed POST /api/v3/order/test on the Binance testnet; every outcome audited. */
  async binanceTestOrder(
    userId: string,
    input: RawOrderInput,
    idempotencyKey: string | undefined,
    meta: RequestMeta,
  ): Promise<TestOrderResult> {
    const spec = parseOrderSpec({ ...input, exchange: 'BINANCE' }, { maxQty: this.maxQty });
    const id = clientOrderId(userId, idempotencyKey);
    const fail = async (reason: string, extra: Record<string, unknown> = {}) =>
      this.audit.record(
        {
          eventType: 'execution.test_order',
          outcome: 'failure',
          userId,
          payload: { ...specSummary(spec), client_order_id: id, reason, ...extra },
        },
        meta,
      );
    try {
      await this.killSwitch.assertDisengaged();
      const creds = await this.requireCredentials(userId, 'BINANCE');
      await this.risk.enforce(userId, spec, 'testnet');
      const elapsed = stopwatch();
      await this.gateway.testOrder('testnet', creds, this.orderRequest(spec, id));
      const latency = elapsed();
      await this.audit.record(
        {
          eventType: 'execution.test_order',
          outcome: 'success',
          userId,
          payload: { ...specSummary(spec), client_order_id: id, latency_ms: latency },
        },
        meta,
      );
      return { spec, clientOrderId: id, latencyMs: latency };
    } catch (e) {
      if (e instanceof ExchangeUpstreamError) {
        await fail(e.kind, { upstream_status: e.upstreamStatus, upstream_code: e.upstreamCode, upstream_message: e.upstreamMessage });
        throw toDomainError(e);
      }
      if (e instanceof DomainError) await fail(e.code);
      throw e;
    }
  }

  async ibkrPaperCheck(userId: string, input: RawOrderInput, meta: RequestMeta): Promise<PaperCheckResult> {
    const spec = parseOrderSpec({ ...input, exchange: 'IBKR' }, { maxQty: this.maxQty });
    const summary = specSummary(spec);
    try {
      await this.killSwitch.assertDisengaged();
      await this.requireCredentials(userId, 'IBKR'); // the gateway holds the session; we only insist the user set IBKR up
      const checks = this.ibkrRisk(spec);
      let result: PaperCheckResult;
      if (!this.ibkr.configured) {
        result = {
          spec,
          mode: 'OFFLINE_PAPER_CHECK',
          sent: false,
          accountId: this.config.ibkrAccountId ?? null,
          note: 'IBKR_BASE_URL is not set: symbol, side, qty and risk limits were checked offline; no gateway was contacted',
          checks,
          preview: null,
          latencyMs: null,
        };
      } else {
        const elapsed = stopwatch();
        const { accountId, ...preview } = await this.ibkr.whatIf({ symbol: spec.symbol, side: spec.side, qty: spec.qty.toFixed() });
        const latency = elapsed();
        result = { spec, mode: 'PAPER_WHATIF', sent: true, accountId, note: null, checks, preview, latencyMs: latency };
      }
      await this.audit.record(
        {
          eventType: 'execution.ibkr.paper_check',
          outcome: 'success',
          userId,
          payload: { ...summary, mode: result.mode, account_id: result.accountId },
        },
        meta,
      );
      return result;
    } catch (e) {
      const reason = e instanceof ExchangeUpstreamError ? e.kind : e instanceof DomainError ? e.code : 'error';
      await this.audit.record(
        { eventType: 'execution.ibkr.paper_check', outcome: 'failure', userId, payload: { ...summary, reason } },
        meta,
      );
      throw e instanceof ExchangeUpstreamError ? toDomainError(e) : e;
    }
  }
}
