import { EntitySchema } from 'typeorm';

export interface UserRecord {
  id: string;
  email: string;
  username: string | null;
  password_hash: string;
  full_name: string | null;
  role: 'user' | 'admin';
  notify_channel: 'email' | 'sms' | null;
  notify_destination: string | null;
  created_at: Date;
  updated_at: Date;
  totp_enabled?: boolean;
  totp_required?: boolean;
}

export const UserEntity = new EntitySchema<UserRecord>({
  name: 'users',
  columns: {
    id: { type: 'uuid', primary: true },
    email: { type: 'varchar', length: 254 },
    username: { type: 'varchar', length: 64, nullable: true },
    password_hash: { type: 'varchar', length: 100 },
    full_name: { type: 'varchar', length: 200, nullable: true },
    role: { type: 'varchar', length: 16 },
    notify_channel: { type: 'varchar', length: 8, nullable: true },
    notify_destination: { type: 'varchar', length: 254, nullable: true },
    created_at: { type: 'timestamptz' },
    updated_at: { type: 'timestamptz' },
    totp_enabled: { type: 'boolean', default: false },
    totp_required: { type: 'boolean', default: false },
  },
});
