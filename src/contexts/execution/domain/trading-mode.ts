import { DomainError } from '@kernel';

/** Where a user's broker orders go: the paper book (public prices only), the Binance testnet, or the real exchange. */
export const TRADING_MODES = ['paper', 'testnet', 'live'] as const;
export type TradingMode = (typeof TRADING_MODES)[number];

/** The default for a user who never chose, on a server without LIVE_TRADING (issue 13: testnet, as before paper trading). */
export const DEFAULT_TRADING_MODE: TradingMode = 'testnet';

/** The `mode` label the broker answers carry (seed 002's "TESTNET" / "REAL TRADING"). */
export const MODE_LABEL: Record<TradingMode, string> = { paper: 'PAPER', testnet: 'TESTNET', live: 'REAL TRADING' };

export const LIVE_TRADING_OFF =
  'Live trading is disabled on this server (LIVE_TRADING=false): mode "live" would send real orders with real money. ' +
  'Trade on "paper" or "testnet"; an operator enables live trading by setting LIVE_TRADING=true.';

export const LIVE_TRADING_ON =
  'This server trades on the real exchange (LIVE_TRADING=true): its exchange mode is "live" for every user. Use "paper" to ' +
  'trade without money, or a server with LIVE_TRADING=false for the testnet.';

export function parseTradingMode(value: unknown): TradingMode {
  if (typeof value === 'string' && (TRADING_MODES as readonly string[]).includes(value)) return value as TradingMode;
  const message = `mode must be one of ${TRADING_MODES.join(', ')}`;
  throw DomainError.invalidField('mode', message);
}
