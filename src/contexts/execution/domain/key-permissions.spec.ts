import { SAFE_KEY as SAFE } from '../../../../test/fakes/binance/key-restrictions';
import { FUTURES_WARNING, judgeKey, MARGIN_WARNING, NO_IP_WARNING, WITHDRAWALS_REFUSAL } from './key-permissions';

describe('judgeKey (seed 002: spot only, withdrawals disabled, IP whitelist)', () => {
  it('passes a safe key with no warnings', () => {
    const v = judgeKey(SAFE, false);
    expect(v.refusal).toBeNull();
    expect(v.warnings).toEqual([]);
    expect(v.checks.map((c) => [c.name, c.passed, c.warning ?? false])).toEqual([
      ['key_withdrawals', true, false],
      ['key_margin', true, false],
      ['key_futures', true, false],
      ['key_ip_restriction', true, false],
    ]);
  });

  it('refuses withdrawals unless allowed, then warns', () => {
    const w = { ...SAFE, enableWithdrawals: true };
    expect(judgeKey(w, false)).toMatchObject({ refusal: WITHDRAWALS_REFUSAL, warnings: [] });
    expect(judgeKey(w, false).checks[0]).toMatchObject({ name: 'key_withdrawals', passed: false });
    const allowed = judgeKey(w, true);
    expect(allowed.refusal).toBeNull();
    expect(allowed.warnings).toEqual([expect.stringContaining('ALLOW_WITHDRAWAL_KEYS=true')]);
  });

  it('warns for margin, futures and a key without IP restriction, in that order', () => {
    const v = judgeKey({ ...SAFE, enableMargin: true, enableFutures: true, ipRestrict: false }, false);
    expect(v.refusal).toBeNull();
    expect(v.warnings).toEqual([MARGIN_WARNING, FUTURES_WARNING, NO_IP_WARNING]);
    expect(v.checks.filter((c) => c.warning).map((c) => c.name)).toEqual(['key_margin', 'key_futures', 'key_ip_restriction']);
  });
});
