/** One request of the collection: what to send and what the answer must show (Postman test lines). */
export interface Step {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  auth?: 'token' | 'adminToken' | 'clientToken' | 'fundsToken';
  body?: unknown;
  form?: Record<string, string>;
  status: number;
  /** Extra test lines; `b` is the parsed JSON body. */
  checks?: string[];
  /** Pre-request script lines (run before the request is sent). */
  pre?: string[];
}

export interface Folder {
  name: string;
  steps: Step[];
}

export const has = (...keys: string[]) => keys.map((k) => `pm.expect(b).to.have.property('${k}');`);

/**
 * RFC 6238 TOTP (HMAC-SHA1, 30 s, 6 digits) with the crypto-js the Postman sandbox ships (it has no otplib):
 * base32 secret -> key bytes, big-endian time-step counter, dynamic truncation. Sets {{otp}} for the body.
 */
export const totp = (offsetSteps: number) => [
  'const CJ = require("crypto-js");',
  'const ABC = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";',
  'const bits = pm.environment.get("totpSecret").replace(/=+$/, "").toUpperCase().split("").map((c) => ABC.indexOf(c).toString(2).padStart(5, "0")).join("");',
  'const keyHex = (bits.match(/.{8}/g) || []).map((b) => parseInt(b, 2).toString(16).padStart(2, "0")).join("");',
  `const counterHex = (Math.floor(Date.now() / 30000) + ${offsetSteps}).toString(16).padStart(16, "0");`,
  'const h = CJ.HmacSHA1(CJ.enc.Hex.parse(counterHex), CJ.enc.Hex.parse(keyHex)).toString(CJ.enc.Hex);',
  'const o = parseInt(h.slice(-1), 16);',
  'pm.environment.set("otp", String((parseInt(h.substr(o * 2, 8), 16) & 0x7fffffff) % 1000000).padStart(6, "0"));',
];
/** A fresh AES-256 key (base64 of 32 random bytes) into {{<name>}}. */
export const freshKey = (name: string) => [
  'const CJ = require("crypto-js");',
  `pm.environment.set("${name}", CJ.lib.WordArray.random(32).toString(CJ.enc.Base64));`,
];
