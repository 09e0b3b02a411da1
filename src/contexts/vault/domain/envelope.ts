import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** A key of the vault keyring: 32 bytes for AES-256 and its short stable id. */
export interface VaultKey {
  id: string;
  material: Buffer;
}

/** A stored secret: the id of the key that sealed it, and base64(iv | tag | ciphertext). */
export interface Sealed {
  keyId: string;
  ciphertext: string;
}

const IV_BYTES = 12; // 96-bit IV, the GCM standard
const TAG_BYTES = 16;

/** First 8 hex chars of sha256(key bytes): stable, short, reveals nothing usable. */
export function keyIdOf(material: Buffer): string {
  return createHash('sha256').update(material).digest('hex').slice(0, 8);
}

/** Builds a key from its base64 form; null when it is not 32 bytes. */
export function vaultKeyFromBase64(base64: string): VaultKey | null {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(base64)) return null;
  const material = Buffer.from(base64, 'base64');
  if (material.length !== 32) return null;
  return { id: keyIdOf(material), material };
}

/**
 * AES-256-GCM with a random IV per value. `aad` binds the value to its owner and
 * purpose: a ciphertext copied to another row or user fails to open.
 */
export function seal(key: VaultKey, plaintext: string, aad: string): Sealed {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.material, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { keyId: key.id, ciphertext: Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64') };
}

/** The plaintext, or null when the key, the AAD or the bytes do not match (tampered or wrong key). */
export function open(key: VaultKey, ciphertext: string, aad: string): string | null {
  const raw = Buffer.from(ciphertext, 'base64');
  if (raw.length < IV_BYTES + TAG_BYTES) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.material, raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

/** `****WXYZ`: the last four characters only, and none of a short key. */
export function maskApiKey(apiKey: string): string {
  return apiKey.length >= 12 ? `****${apiKey.slice(-4)}` : '****';
}

export const exchangeSecretAad = (userId: string, exchange: string): string => `exchange-secret:${userId}:${exchange}`;
export const vaultSecretAad = (ownerId: string, purpose: string): string => `vault-secret:${purpose}:${ownerId}`;
