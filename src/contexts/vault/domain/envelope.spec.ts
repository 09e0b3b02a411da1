import { randomBytes } from 'node:crypto';
import { keyIdOf, maskApiKey, open, seal, vaultKeyFromBase64 } from './envelope';

const key = () => vaultKeyFromBase64(randomBytes(32).toString('base64'))!;

describe('envelope (AES-256-GCM)', () => {
  it('round-trips with a fresh IV each time and the key id beside the value', () => {
    const k = key();
    const a = seal(k, 'top secret', 'aad-1');
    const b = seal(k, 'top secret', 'aad-1');
    expect(a.keyId).toBe(k.id);
    expect(a.ciphertext).not.toBe(b.ciphertext);
    expect(open(k, a.ciphertext, 'aad-1')).toBe('top secret');
  });
  it('refuses another AAD, another key and tampered bytes', () => {
    const k = key();
    const s = seal(k, 'top secret', 'user-a');
    expect(open(k, s.ciphertext, 'user-b')).toBeNull();
    expect(open(key(), s.ciphertext, 'user-a')).toBeNull();
    const raw = Buffer.from(s.ciphertext, 'base64');
    raw[raw.length - 1] ^= 1;
    expect(open(k, raw.toString('base64'), 'user-a')).toBeNull();
    expect(open(k, 'AAAA', 'user-a')).toBeNull();
  });
  it('derives short stable key ids and validates key material', () => {
    const b64 = randomBytes(32).toString('base64');
    expect(vaultKeyFromBase64(b64)!.id).toBe(keyIdOf(Buffer.from(b64, 'base64')));
    expect(vaultKeyFromBase64(b64)!.id).toMatch(/^[0-9a-f]{8}$/);
    expect(vaultKeyFromBase64(randomBytes(16).toString('base64'))).toBeNull();
    expect(vaultKeyFromBase64('not base64!')).toBeNull();
  });
  it('masks api keys to the last four characters', () => {
    expect(maskApiKey('ABCDEFGHIJKLWXYZ')).toBe('****WXYZ');
    expect(maskApiKey('short')).toBe('****');
  });
});
