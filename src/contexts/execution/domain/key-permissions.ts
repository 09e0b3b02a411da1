import type { KeyRestrictions } from './execution.ports';
import type { Check } from './risk';

export const WITHDRAWALS_REFUSAL =
  'This Binance API key has withdrawals enabled: a trading key must not be able to move funds off the exchange (seed 002: ' +
  'spot trading only, withdrawals disabled, IP whitelist). Edit the key on Binance (API Management: untick "Enable Withdrawals") ' +
  'and save it again, or set ALLOW_WITHDRAWAL_KEYS=true to accept such keys.';

export const MARGIN_WARNING = 'Margin trading is enabled on this key: seed 002 asks for spot trading only (untick "Enable Margin")';
export const FUTURES_WARNING = 'Futures trading is enabled on this key: seed 002 asks for spot trading only (untick "Enable Futures")';
export const NO_IP_WARNING =
  'The key is not restricted to trusted IPs: anyone holding it can use it; restrict it to the server IPs on Binance';

export interface KeyVerdict {
  /** Set: refuse the key (withdrawals enabled and not allowed). */
  refusal: string | null;
  warnings: string[];
  checks: Check[];
}

/** Seed 002's security table applied to a key's restrictions: withdrawals refuse it, margin/futures/no IP whitelist warn. */
export function judgeKey(r: KeyRestrictions, allowWithdrawals: boolean): KeyVerdict {
  const warnings: string[] = [];
  const checks: Check[] = [];
  if (r.enableWithdrawals && !allowWithdrawals) {
    checks.push({ name: 'key_withdrawals', passed: false, message: WITHDRAWALS_REFUSAL });
  } else if (r.enableWithdrawals) {
    const w = 'Withdrawals are enabled on this key (accepted because ALLOW_WITHDRAWAL_KEYS=true)';
    warnings.push(w);
    checks.push({ name: 'key_withdrawals', passed: true, warning: true, message: w });
  } else {
    checks.push({ name: 'key_withdrawals', passed: true, message: 'Withdrawals are disabled on this key' });
  }
  for (const [name, on, text, fine] of [
    ['key_margin', r.enableMargin, MARGIN_WARNING, 'Margin trading is disabled on this key'],
    ['key_futures', r.enableFutures, FUTURES_WARNING, 'Futures trading is disabled on this key'],
    ['key_ip_restriction', !r.ipRestrict, NO_IP_WARNING, 'The key is restricted to trusted IPs'],
  ] as const) {
    if (on) warnings.push(text);
    checks.push(on ? { name, passed: true, warning: true, message: text } : { name, passed: true, message: fine });
  }
  const refused = r.enableWithdrawals && !allowWithdrawals;
  return { refusal: refused ? WITHDRAWALS_REFUSAL : null, warnings, checks };
}
