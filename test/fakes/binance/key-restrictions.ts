/** GET /sapi/v1/account/apiRestrictions (SIGNED): what a key may do, per key, settable by a spec. */
export interface KeyRestrictionFlags {
  ipRestrict: boolean;
  enableWithdrawals: boolean;
  enableMargin: boolean;
  enableFutures: boolean;
  enableSpotAndMarginTrading: boolean;
  enableReading: boolean;
}

/** A key as seed 002 asks for it: spot trading, reading, IP-restricted, nothing else. */
export const SAFE_KEY: KeyRestrictionFlags = {
  ipRestrict: true,
  enableWithdrawals: false,
  enableMargin: false,
  enableFutures: false,
  enableSpotAndMarginTrading: true,
  enableReading: true,
};

export const KEY_RESTRICTIONS_PATH = '/sapi/v1/account/apiRestrictions';

export function restrictionsPayload(flags: KeyRestrictionFlags = SAFE_KEY) {
  return {
    ...flags,
    createTime: 1_700_000_000_000,
    enableInternalTransfer: false,
    permitsUniversalTransfer: false,
    enableVanillaOptions: false,
    enablePortfolioMarginTrading: false,
    tradingAuthorityExpirationTime: 1_800_000_000_000,
  };
}
