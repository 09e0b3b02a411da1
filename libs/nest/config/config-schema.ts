import Joi from 'joi';

const decimalString = Joi.string().pattern(/^\d+(\.\d+)?$/);

/** Every key here is also in .env.example with a comment. */
export const configSchema = Joi.object({
  NODE_ENV: Joi.string().valid('development', 'production', 'test').default('development'),
  PORT: Joi.number().port().default(8000),
  HOST: Joi.string().default('0.0.0.0'),
  DATA_DIR: Joi.string().default('./.data'),
  DATABASE_URL: Joi.string()
    .uri({ scheme: ['postgres', 'postgresql'] })
    .empty(''),
  EMBEDDED_DATABASE_PORT: Joi.number().port().empty(''),
  EMBEDDED_DATABASE_IN_PRODUCTION: Joi.boolean().default(false),
  DATABASE_POOL_SIZE: Joi.number().integer().min(1).max(200).default(10),
  MIGRATIONS_RUN: Joi.boolean().default(true),
  SEED_ON_BOOT: Joi.boolean(),
  MONGO_URL: Joi.string()
    .uri({ scheme: ['mongodb', 'mongodb+srv'] })
    .empty(''),
  MONGO_DB: Joi.string().default('fintech'),
  REDIS_URL: Joi.string()
    .uri({ scheme: ['redis', 'rediss'] })
    .empty(''),

  SECRET_KEY: Joi.string().empty(''),
  ENCRYPTION_KEY: Joi.string().empty(''),
  ENCRYPTION_KEYS_PREVIOUS: Joi.string().allow('').default(''),
  JWT_ISSUER: Joi.string().default('fintech-ops'),
  JWT_AUDIENCE: Joi.string().default('fintech-ops-api'),
  ACCESS_TOKEN_TTL_SECONDS: Joi.number().integer().min(30).max(86400).default(900),
  REFRESH_TOKEN_TTL_SECONDS: Joi.number().integer().min(300).default(1209600),
  // >= 12 everywhere but NODE_ENV=test, where the e2e harness hashes hundreds of passwords (cost 4 there: CI time).
  BCRYPT_COST: Joi.number()
    .integer()
    .max(15)
    .when('NODE_ENV', { is: 'test', then: Joi.number().min(4), otherwise: Joi.number().min(12) })
    .default(12),
  PASSWORD_MIN_LENGTH: Joi.number().integer().min(8).max(128).default(8),
  LOGIN_MAX_FAILURES_PER_HOUR: Joi.number().integer().min(1).max(100).default(20),
  LOGIN_MAX_FAILURES_PER_IP_PER_HOUR: Joi.number().integer().min(1).max(100000).default(100),
  LOGIN_BACKOFF_AFTER_FAILURES: Joi.number().integer().min(1).max(100).default(5),
  LOGIN_BACKOFF_CAP_SECONDS: Joi.number().integer().min(1).max(86400).default(900),
  LOGIN_ACCOUNT_BACKOFF_CAP_SECONDS: Joi.number().integer().min(1).max(3600).default(300),
  LOGIN_KNOWN_CLIENT_DAYS: Joi.number().integer().min(0).max(365).default(30),

  RATE_LIMIT_DEFAULT_PER_MIN: Joi.number().integer().min(1).default(600),
  RATE_LIMIT_REGISTER_PER_MIN: Joi.number().integer().min(1).default(5),
  RATE_LIMIT_LOGIN_PER_MIN: Joi.number().integer().min(1).default(30),
  ALLOWED_ORIGINS: Joi.string().allow('').default('http://localhost:3000,http://localhost:5173'),
  ALLOWED_HOSTS: Joi.string().allow('').default('localhost,127.0.0.1,::1,0.0.0.0'),
  TRUST_PROXY: Joi.boolean().default(false),
  BODY_LIMIT_BYTES: Joi.number().integer().min(1024).default(1048576),
  DOCS_ENABLED: Joi.boolean(),
  LOG_LEVEL: Joi.string().valid('error', 'warn', 'info', 'debug', 'silent').default('info'),
  OUTBOX_SWEEP_MS: Joi.number().integer().min(100).default(5000),
  SCHEDULER_ENABLED: Joi.boolean().default(true),
  IDEMPOTENCY_TTL_HOURS: Joi.number().integer().min(1).max(720).default(24),
  IDEMPOTENCY_LEASE_SECONDS: Joi.number().integer().min(1).max(60).default(30),
  METRICS_TOKEN: Joi.string().min(16).empty(''),
  INSTANCE_ID: Joi.string()
    .pattern(/^[A-Za-z0-9._:-]{1,64}$/)
    .empty(''),
  JOBS_WORKER_ENABLED: Joi.boolean().default(true),
  JOBS_POLLING_INTERVAL_SECONDS: Joi.number().min(0.5).max(60).default(1),
  JOBS_MAINTENANCE_INTERVAL_SECONDS: Joi.number().integer().min(1).max(3600).default(30),
  OUTBOX_RETENTION_HOURS: Joi.number().integer().min(1).max(8760).default(168),
  RETENTION_CRON: Joi.string().default('15 * * * *'),

  LIVE_TRADING: Joi.boolean().default(false),
  BINANCE_TESTNET_BASE_URL: Joi.string().uri().default('https://testnet.binance.vision'),
  BINANCE_BASE_URL: Joi.string().uri().default('https://api.binance.com'),
  BINANCE_RECV_WINDOW: Joi.number().integer().min(1).max(60000).default(5000),
  IBKR_BASE_URL: Joi.string().uri().empty(''),
  IBKR_ACCOUNT_ID: Joi.string().max(32).empty(''),
  CRYPTO_COM_BASE_URL: Joi.string().uri().default('https://api.crypto.com/exchange/v1'),
  EXCHANGE_HTTP_TIMEOUT_MS: Joi.number().integer().min(100).max(120000).default(10000),
  EXCHANGE_MAX_RETRIES: Joi.number().integer().min(0).max(5).default(2),
  EXCHANGE_INFO_TTL_SECONDS: Joi.number().integer().min(1).default(300),
  BROKER_RECONCILE_DELAY_SECONDS: Joi.number().integer().min(1).max(3600).default(15),
  BROKER_ORDER_GRACE_SECONDS: Joi.number().integer().min(1).max(86400).default(60),
  BROKER_RECONCILE_INTERVAL_SECONDS: Joi.number().integer().min(5).max(3600).default(60),
  RISK_MAX_NOTIONAL_USD: decimalString.default('1000'),
  RISK_MAX_QTY: decimalString.default('1000000'),
  RISK_MAX_EXPOSURE_PER_SYMBOL_USD: decimalString.default('5000'),
  ALLOW_WITHDRAWAL_KEYS: Joi.boolean().default(false),
  PAPER_START_USDT: decimalString.default('10000'),
  PAPER_SLIPPAGE_BPS: decimalString.default('5'),
  PAPER_FEE_BPS: decimalString.default('10'),
  PAPER_LIMIT_CHECK_SECONDS: Joi.number().integer().min(5).max(3600).default(15),

  EXCHANGE_SYNC_INTERVAL_SECONDS: Joi.number().integer().min(5).max(3600).default(60),
  EXCHANGE_SYNC_CONCURRENCY: Joi.number().integer().min(1).max(64).default(8),
  EXCHANGE_SYNC_JOB_TIMEOUT_SECONDS: Joi.number().integer().min(2).max(3600).default(120),
  EXCHANGE_SYNC_RUN_WAIT_SECONDS: Joi.number().integer().min(0).max(300).default(20),
  EXCHANGE_SYNC_EXCHANGES: Joi.string()
    .pattern(/^\s*(CRYPTO_COM|BINANCE)\s*(,\s*(CRYPTO_COM|BINANCE)\s*)*$/)
    .default('CRYPTO_COM,BINANCE'),
  BINANCE_SYNC_WEIGHT_PER_MINUTE: Joi.number().integer().min(100).max(6000).default(3000),
  BINANCE_SYNC_MAX_SYMBOLS: Joi.number().integer().min(1).max(200).default(20),
  OCO_STOP_LOSS_PCT: decimalString.default('2'),
  OCO_TAKE_PROFIT_PCT: decimalString.default('4'),
  ALERT_CRON: Joi.string().default('0 8 * * *'),
  ALERT_TIMEZONE: Joi.string().default('UTC'),
  SIGNALS_INTERVAL_MINUTES: Joi.number().integer().min(1).max(1440).default(5),

  SMTP_URL: Joi.string()
    .uri({ scheme: ['smtp', 'smtps'] })
    .empty(''),
  SMTP_FROM: Joi.string().default('no-reply@fintech-ops.local'),
  SMS_WEBHOOK_URL: Joi.string().uri().empty(''),

  FUNDS_INITIAL_BALANCE: decimalString.default('500000'),
  FUNDS_CURRENCY: Joi.string().length(3).uppercase().default('COP'),
  LOANS_OVERDUE_CRON: Joi.string().default('0 1 * * *'),
}).unknown(true);
