/**
 * The one validated configuration object, read once at boot (see load-config.ts)
 * and injected as `AppConfig`. Nothing else reads process.env.
 */
export abstract class AppConfig {
  abstract readonly nodeEnv: 'development' | 'production' | 'test';
  abstract readonly port: number;
  abstract readonly host: string;
  abstract readonly dataDir: string;
  /** Unset => an embedded PostgreSQL server under dataDir (see libs/nest/persistence/database-server.ts). */
  abstract readonly databaseUrl?: string;
  /** Embedded only: its port (unset => the one used last time, else a free one). */
  abstract readonly embeddedDatabasePort?: number;
  /** Production boots on the embedded database only when this says so. */
  abstract readonly embeddedDatabaseInProduction: boolean;
  abstract readonly databasePoolSize: number;
  abstract readonly migrationsRun: boolean;
  abstract readonly seedOnBoot: boolean;
  /** Swagger UI at /docs and the OpenAPI JSON at /docs-json (default: on outside production). */
  abstract readonly docsEnabled: boolean;
  abstract readonly mongoUrl?: string;
  abstract readonly mongoDb: string;
  abstract readonly redisUrl?: string;

  abstract readonly secretKey: string;
  abstract readonly encryptionKey: string;
  abstract readonly encryptionKeysPrevious: string[];
  abstract readonly jwtIssuer: string;
  abstract readonly jwtAudience: string;
  abstract readonly accessTokenTtlSeconds: number;
  abstract readonly refreshTokenTtlSeconds: number;
  abstract readonly bcryptCost: number;
  abstract readonly passwordMinLength: number;
  abstract readonly loginMaxFailuresPerHour: number;
  abstract readonly loginMaxFailuresPerIpPerHour: number;
  /** Failures of one account from one IP before its backoff starts. */
  abstract readonly loginBackoffAfterFailures: number;
  /** Longest wait of the account+IP and per-IP backoffs. */
  abstract readonly loginBackoffCapSeconds: number;
  /** Longest wait of the account-wide backoff (short: a stranger can cause it). */
  abstract readonly loginAccountBackoffCapSeconds: number;
  /** An address the account logged in from this recently is exempt from the account-wide and per-IP backoffs (0: none). */
  abstract readonly loginKnownClientDays: number;

  abstract readonly rateLimitDefaultPerMin: number;
  abstract readonly rateLimitRegisterPerMin: number;
  abstract readonly rateLimitLoginPerMin: number;
  abstract readonly allowedOrigins: string[];
  abstract readonly allowedHosts: string[];
  abstract readonly trustProxy: boolean;
  abstract readonly bodyLimitBytes: number;
  abstract readonly logLevel: string;
  abstract readonly outboxSweepMs: number;
  abstract readonly schedulerEnabled: boolean;
  abstract readonly idempotencyTtlHours: number;
  /** How long a claimed Idempotency-Key is held for its request (at most 60 s); a retry after it may take over. */
  abstract readonly idempotencyLeaseSeconds: number;
  /** Set => GET /metrics needs `Authorization: Bearer <metricsToken>`. */
  abstract readonly metricsToken?: string;
  /** Names this process in job records and the sync status (default hostname-pid). */
  abstract readonly instanceId: string;
  abstract readonly jobsWorkerEnabled: boolean;
  abstract readonly jobsPollingIntervalSeconds: number;
  abstract readonly jobsMaintenanceIntervalSeconds: number;
  abstract readonly outboxRetentionHours: number;
  abstract readonly retentionCron: string;

  abstract readonly liveTrading: boolean;
  abstract readonly binanceTestnetBaseUrl: string;
  abstract readonly binanceBaseUrl: string;
  abstract readonly binanceRecvWindow: number;
  abstract readonly ibkrBaseUrl?: string;
  abstract readonly ibkrAccountId?: string;
  abstract readonly cryptoComBaseUrl: string;
  abstract readonly exchangeHttpTimeoutMs: number;
  /** First look-up of a PENDING broker order by its client order id, after the intent. */
  abstract readonly brokerReconcileDelaySeconds: number;
  /** A PENDING order not found on the exchange this long after its intent is NOT_SENT. */
  abstract readonly brokerOrderGraceSeconds: number;
  /** The sweep that re-checks PENDING and open broker orders. */
  abstract readonly brokerReconcileIntervalSeconds: number;
  abstract readonly exchangeMaxRetries: number;
  abstract readonly exchangeInfoTtlSeconds: number;
  abstract readonly riskMaxNotionalUsd: string;
  /** Largest quantity one order may ask for; more is a 400 naming qty. */
  abstract readonly riskMaxQty: string;
  abstract readonly riskMaxExposurePerSymbolUsd: string;
  /** Accept Binance keys with withdrawals enabled (refused by default: seed 002). */
  abstract readonly allowWithdrawalKeys: boolean;
  /** Paper trading: the USDT a paper account starts (and is reset) with; slippage and fee in basis points. */
  abstract readonly paperStartUsdt: string;
  abstract readonly paperSlippageBps: string;
  abstract readonly paperFeeBps: string;
  /** How often the paper LIMIT job compares open paper orders with the last price. */
  abstract readonly paperLimitCheckSeconds: number;

  abstract readonly exchangeSyncIntervalSeconds: number;
  abstract readonly exchangeSyncConcurrency: number;
  abstract readonly exchangeSyncJobTimeoutSeconds: number;
  abstract readonly exchangeSyncRunWaitSeconds: number;
  /** Exchanges the account sync covers (each through ccxt), for every user with credentials for it. */
  abstract readonly exchangeSyncExchanges: string[];
  /** Binance request weight the sync may spend per minute per instance (Binance allows 6000 per IP). */
  abstract readonly binanceSyncWeightPerMinute: number;
  /** Symbols whose Binance order history (allOrders, weight 20 each) one user's sync asks for, at most. */
  abstract readonly binanceSyncMaxSymbols: number;
  abstract readonly ocoStopLossPct: string;
  abstract readonly ocoTakeProfitPct: string;
  abstract readonly alertCron: string;
  abstract readonly alertTimezone: string;
  abstract readonly signalsIntervalMinutes: number;

  abstract readonly smtpUrl?: string;
  abstract readonly smtpFrom: string;
  abstract readonly smsWebhookUrl?: string;

  abstract readonly fundsInitialBalance: string;
  abstract readonly fundsCurrency: string;
  abstract readonly loansOverdueCron: string;
}
