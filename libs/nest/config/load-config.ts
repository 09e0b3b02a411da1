import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { hostname } from 'node:os';
import { AppConfig } from './app-config';
import { configSchema } from './config-schema';

type Env = Record<string, string | undefined>;

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export class ConfigError extends Error {}

const WEAK_SECRETS = new Set(['changeme', 'change-me', 'secret', 'password', 'dev', 'test', 'supersecret', 'your-secret-key']);

/** Why a SECRET_KEY is unfit for production, or null. */
export function secretKeyProblem(key: string | undefined): string | null {
  if (!key) return 'SECRET_KEY is missing';
  if (key.length < 32) return 'SECRET_KEY is shorter than 32 characters';
  if (WEAK_SECRETS.has(key.toLowerCase()) || new Set(key).size < 10) return 'SECRET_KEY is a weak, guessable value';
  return null;
}

/** ENCRYPTION_KEY must be base64 (or base64url) of exactly 32 bytes: AES-256. */
export function encryptionKeyProblem(key: string | undefined, name = 'ENCRYPTION_KEY'): string | null {
  if (!key) return `${name} is missing`;
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(key)) return `${name} is not base64`;
  const bytes = Buffer.from(key, 'base64');
  if (bytes.length !== 32) return `${name} must decode to 32 bytes (AES-256), got ${bytes.length}`;
  if (new Set(bytes).size < 8) return `${name} is a weak, low-entropy value`;
  return null;
}

export const generateSecretKey = (): string => randomBytes(48).toString('base64url');
export const generateEncryptionKey = (): string => randomBytes(32).toString('base64');

export interface LoadedConfig {
  config: AppConfig;
  warnings: string[];
}

/**
 * Validates `env` once. Production refuses to boot on missing or weak keys; other
 * environments create a key file under DATA_DIR once and warn.
 */
export function loadConfig(env: Env): LoadedConfig {
  const { value: v, error } = configSchema.validate(env, { abortEarly: false, convert: true });
  if (error) {
    throw new ConfigError(`Invalid configuration: ${error.details.map((d) => d.message).join('; ')}`);
  }
  const warnings: string[] = [];
  const nodeEnv = v.NODE_ENV as AppConfig['nodeEnv'];
  const dataDir = resolve(v.DATA_DIR as string);
  let secretKey = v.SECRET_KEY as string | undefined;
  let encryptionKey = v.ENCRYPTION_KEY as string | undefined;

  if (nodeEnv === 'production') {
    const problems = [secretKeyProblem(secretKey), encryptionKeyProblem(encryptionKey)].filter(Boolean);
    if (problems.length) {
      throw new ConfigError(
        `Refusing to start in production: ${problems.join('; ')}. Generate strong keys with \`npm run secrets:generate\`.`,
      );
    }
  } else if (!secretKey || !encryptionKey) {
    const devKeys = devKeyFile(dataDir);
    secretKey ??= devKeys.SECRET_KEY;
    encryptionKey ??= devKeys.ENCRYPTION_KEY;
    warnings.push(`SECRET_KEY/ENCRYPTION_KEY not set: using development keys from ${join(dataDir, 'dev-keys.json')}`);
  }
  if (nodeEnv === 'production' && !v.DATABASE_URL && !v.EMBEDDED_DATABASE_IN_PRODUCTION) {
    throw new ConfigError(
      'Refusing to start in production on the embedded database (one machine, no replicas, no managed backups): ' +
        'set DATABASE_URL to a PostgreSQL server, or EMBEDDED_DATABASE_IN_PRODUCTION=true to run on it anyway.',
    );
  }
  const encProblem = encryptionKeyProblem(encryptionKey);
  if (encProblem) throw new ConfigError(`Invalid configuration: ${encProblem}`);
  const previous = list(v.ENCRYPTION_KEYS_PREVIOUS);
  previous.forEach((k, i) => {
    const p = encryptionKeyProblem(k, `ENCRYPTION_KEYS_PREVIOUS[${i}]`);
    if (p) throw new ConfigError(`Invalid configuration: ${p}`);
  });

  // An order request older than recvWindow is refused by Binance, and we give up on an answer after the HTTP
  // timeout: past both, an order not found by its client id never reached the exchange (NOT_SENT is safe).
  const minGrace = Math.ceil((v.BINANCE_RECV_WINDOW + v.EXCHANGE_HTTP_TIMEOUT_MS) / 1000);
  if (v.BROKER_ORDER_GRACE_SECONDS < minGrace) {
    throw new ConfigError(
      `Invalid configuration: BROKER_ORDER_GRACE_SECONDS (${v.BROKER_ORDER_GRACE_SECONDS}) must be at least ` +
        `(BINANCE_RECV_WINDOW + EXCHANGE_HTTP_TIMEOUT_MS) / 1000 = ${minGrace}`,
    );
  }

  const config: AppConfig = {
    nodeEnv,
    port: v.PORT,
    host: v.HOST,
    dataDir,
    databaseUrl: v.DATABASE_URL,
    embeddedDatabasePort: v.EMBEDDED_DATABASE_PORT,
    embeddedDatabaseInProduction: v.EMBEDDED_DATABASE_IN_PRODUCTION,
    databasePoolSize: v.DATABASE_POOL_SIZE,
    migrationsRun: v.MIGRATIONS_RUN,
    seedOnBoot: v.SEED_ON_BOOT ?? nodeEnv === 'development',
    mongoUrl: v.MONGO_URL,
    mongoDb: v.MONGO_DB,
    redisUrl: v.REDIS_URL,
    secretKey: secretKey!,
    encryptionKey: encryptionKey!,
    encryptionKeysPrevious: previous,
    jwtIssuer: v.JWT_ISSUER,
    jwtAudience: v.JWT_AUDIENCE,
    accessTokenTtlSeconds: v.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: v.REFRESH_TOKEN_TTL_SECONDS,
    bcryptCost: v.BCRYPT_COST,
    passwordMinLength: v.PASSWORD_MIN_LENGTH,
    loginMaxFailuresPerHour: v.LOGIN_MAX_FAILURES_PER_HOUR,
    loginMaxFailuresPerIpPerHour: v.LOGIN_MAX_FAILURES_PER_IP_PER_HOUR,
    loginBackoffAfterFailures: v.LOGIN_BACKOFF_AFTER_FAILURES,
    loginBackoffCapSeconds: v.LOGIN_BACKOFF_CAP_SECONDS,
    loginAccountBackoffCapSeconds: v.LOGIN_ACCOUNT_BACKOFF_CAP_SECONDS,
    loginKnownClientDays: v.LOGIN_KNOWN_CLIENT_DAYS,
    rateLimitDefaultPerMin: v.RATE_LIMIT_DEFAULT_PER_MIN,
    rateLimitRegisterPerMin: v.RATE_LIMIT_REGISTER_PER_MIN,
    rateLimitLoginPerMin: v.RATE_LIMIT_LOGIN_PER_MIN,
    allowedOrigins: list(v.ALLOWED_ORIGINS),
    allowedHosts: list(v.ALLOWED_HOSTS).map((h) => h.toLowerCase()),
    trustProxy: v.TRUST_PROXY,
    bodyLimitBytes: v.BODY_LIMIT_BYTES,
    docsEnabled: v.DOCS_ENABLED ?? nodeEnv !== 'production',
    logLevel: v.LOG_LEVEL,
    outboxSweepMs: v.OUTBOX_SWEEP_MS,
    schedulerEnabled: v.SCHEDULER_ENABLED,
    idempotencyTtlHours: v.IDEMPOTENCY_TTL_HOURS,
    idempotencyLeaseSeconds: v.IDEMPOTENCY_LEASE_SECONDS,
    metricsToken: v.METRICS_TOKEN,
    instanceId: v.INSTANCE_ID ?? `${hostname()}-${process.pid}`,
    jobsWorkerEnabled: v.JOBS_WORKER_ENABLED,
    jobsPollingIntervalSeconds: v.JOBS_POLLING_INTERVAL_SECONDS,
    jobsMaintenanceIntervalSeconds: v.JOBS_MAINTENANCE_INTERVAL_SECONDS,
    outboxRetentionHours: v.OUTBOX_RETENTION_HOURS,
    retentionCron: v.RETENTION_CRON,
    liveTrading: v.LIVE_TRADING,
    binanceTestnetBaseUrl: stripSlash(v.BINANCE_TESTNET_BASE_URL),
    binanceBaseUrl: stripSlash(v.BINANCE_BASE_URL),
    binanceRecvWindow: v.BINANCE_RECV_WINDOW,
    ibkrBaseUrl: v.IBKR_BASE_URL ? stripSlash(v.IBKR_BASE_URL) : undefined,
    ibkrAccountId: v.IBKR_ACCOUNT_ID,
    cryptoComBaseUrl: stripSlash(v.CRYPTO_COM_BASE_URL),
    exchangeHttpTimeoutMs: v.EXCHANGE_HTTP_TIMEOUT_MS,
    brokerReconcileDelaySeconds: v.BROKER_RECONCILE_DELAY_SECONDS,
    brokerOrderGraceSeconds: v.BROKER_ORDER_GRACE_SECONDS,
    brokerReconcileIntervalSeconds: v.BROKER_RECONCILE_INTERVAL_SECONDS,
    exchangeMaxRetries: v.EXCHANGE_MAX_RETRIES,
    exchangeInfoTtlSeconds: v.EXCHANGE_INFO_TTL_SECONDS,
    riskMaxNotionalUsd: v.RISK_MAX_NOTIONAL_USD,
    riskMaxQty: v.RISK_MAX_QTY,
    riskMaxExposurePerSymbolUsd: v.RISK_MAX_EXPOSURE_PER_SYMBOL_USD,
    allowWithdrawalKeys: v.ALLOW_WITHDRAWAL_KEYS,
    paperStartUsdt: v.PAPER_START_USDT,
    paperSlippageBps: v.PAPER_SLIPPAGE_BPS,
    paperFeeBps: v.PAPER_FEE_BPS,
    paperLimitCheckSeconds: v.PAPER_LIMIT_CHECK_SECONDS,
    exchangeSyncIntervalSeconds: v.EXCHANGE_SYNC_INTERVAL_SECONDS,
    exchangeSyncConcurrency: v.EXCHANGE_SYNC_CONCURRENCY,
    exchangeSyncJobTimeoutSeconds: v.EXCHANGE_SYNC_JOB_TIMEOUT_SECONDS,
    exchangeSyncRunWaitSeconds: v.EXCHANGE_SYNC_RUN_WAIT_SECONDS,
    exchangeSyncExchanges: [...new Set(list(v.EXCHANGE_SYNC_EXCHANGES))],
    binanceSyncWeightPerMinute: v.BINANCE_SYNC_WEIGHT_PER_MINUTE,
    binanceSyncMaxSymbols: v.BINANCE_SYNC_MAX_SYMBOLS,
    ocoStopLossPct: v.OCO_STOP_LOSS_PCT,
    ocoTakeProfitPct: v.OCO_TAKE_PROFIT_PCT,
    alertCron: v.ALERT_CRON,
    alertTimezone: v.ALERT_TIMEZONE,
    signalsIntervalMinutes: v.SIGNALS_INTERVAL_MINUTES,
    smtpUrl: v.SMTP_URL,
    smtpFrom: v.SMTP_FROM,
    smsWebhookUrl: v.SMS_WEBHOOK_URL,
    fundsInitialBalance: v.FUNDS_INITIAL_BALANCE,
    fundsCurrency: v.FUNDS_CURRENCY,
    loansOverdueCron: v.LOANS_OVERDUE_CRON,
  };
  return { config, warnings };
}

const stripSlash = (url: string): string => url.replace(/\/+$/, '');

function devKeyFile(dataDir: string): { SECRET_KEY: string; ENCRYPTION_KEY: string } {
  const file = join(dataDir, 'dev-keys.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  mkdirSync(dataDir, { recursive: true });
  const keys = { SECRET_KEY: generateSecretKey(), ENCRYPTION_KEY: generateEncryptionKey() };
  writeFileSync(file, JSON.stringify(keys, null, 2), { mode: 0o600 });
  return keys;
}

/** The only place that reads process.env (plus an optional .env file). */
export function loadConfigFromProcess(): LoadedConfig {
  if (existsSync('.env')) process.loadEnvFile('.env');
  return loadConfig(process.env);
}

/** For entry points (server, worker, npm scripts): the config, or exit 1 with the reason in one line, no stack. */
export function loadConfigOrExit(): LoadedConfig {
  try {
    return loadConfigFromProcess();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
}
