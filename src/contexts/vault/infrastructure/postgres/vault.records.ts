import { EntitySchema } from 'typeorm';

export interface ExchangeSecretRecord {
  id: string;
  user_id: string;
  exchange: string;
  api_key_masked: string;
  key_id: string;
  ciphertext: string;
  created_at: Date;
  updated_at: Date;
}

export const ExchangeSecretEntity = new EntitySchema<ExchangeSecretRecord>({
  name: 'exchange_secrets',
  columns: {
    id: { type: 'uuid', primary: true },
    user_id: { type: 'uuid' },
    exchange: { type: 'varchar', length: 16 },
    api_key_masked: { type: 'varchar', length: 16 },
    key_id: { type: 'varchar', length: 16 },
    ciphertext: { type: 'text' },
    created_at: { type: 'timestamptz' },
    updated_at: { type: 'timestamptz' },
  },
});

export interface VaultSecretRecord {
  owner_id: string;
  purpose: string;
  key_id: string;
  ciphertext: string;
  created_at: Date;
  updated_at: Date;
}

export const VaultSecretEntity = new EntitySchema<VaultSecretRecord>({
  name: 'vault_secrets',
  columns: {
    owner_id: { type: 'uuid', primary: true },
    purpose: { type: 'varchar', length: 32, primary: true },
    key_id: { type: 'varchar', length: 16 },
    ciphertext: { type: 'text' },
    created_at: { type: 'timestamptz' },
    updated_at: { type: 'timestamptz' },
  },
});
