import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema } from './config-schema';
import { ConfigError, generateEncryptionKey, generateSecretKey, loadConfig } from './load-config';

describe('loadConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses to boot in production without strong keys, saying which and why', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: dir })).toThrow(
      /SECRET_KEY is missing; ENCRYPTION_KEY is missing.*secrets:generate/,
    );
    expect(() => loadConfig({ NODE_ENV: 'production', SECRET_KEY: 'changeme', ENCRYPTION_KEY: generateEncryptionKey() })).toThrow(
      /SECRET_KEY is shorter than 32 characters/,
    );
    expect(() => loadConfig({ NODE_ENV: 'production', SECRET_KEY: 'a'.repeat(40), ENCRYPTION_KEY: generateEncryptionKey() })).toThrow(
      /weak/,
    );
    expect(() => loadConfig({ NODE_ENV: 'production', SECRET_KEY: generateSecretKey(), ENCRYPTION_KEY: 'c2hvcnQ=' })).toThrow(/32 bytes/);
    const ok = loadConfig({
      NODE_ENV: 'production',
      SECRET_KEY: generateSecretKey(),
      ENCRYPTION_KEY: generateEncryptionKey(),
      DATABASE_URL: 'postgres://app@db:5432/app',
    });
    expect(ok.config.seedOnBoot).toBe(false);
  });

  it('refuses the embedded database in production unless EMBEDDED_DATABASE_IN_PRODUCTION=true', () => {
    const keys = { NODE_ENV: 'production', SECRET_KEY: generateSecretKey(), ENCRYPTION_KEY: generateEncryptionKey() };
    expect(() => loadConfig(keys)).toThrow(/embedded database.*DATABASE_URL.*EMBEDDED_DATABASE_IN_PRODUCTION=true/);
    expect(loadConfig({ ...keys, EMBEDDED_DATABASE_IN_PRODUCTION: 'true' }).config.embeddedDatabaseInProduction).toBe(true);
  });

  it('creates development keys under DATA_DIR once and warns', () => {
    const first = loadConfig({ DATA_DIR: dir });
    const second = loadConfig({ DATA_DIR: dir });
    expect(first.warnings[0]).toContain('dev-keys.json');
    expect(second.config.secretKey).toBe(first.config.secretKey);
    expect(JSON.parse(readFileSync(join(dir, 'dev-keys.json'), 'utf8')).ENCRYPTION_KEY).toBe(first.config.encryptionKey);
    expect(first.config.seedOnBoot).toBe(true);
  });

  it('names every invalid key', () => {
    expect(() => loadConfig({ DATA_DIR: dir, PORT: 'abc', BCRYPT_COST: '4' })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_DIR: dir, PORT: 'abc', BCRYPT_COST: '4' })).toThrow(
      /"PORT" must be a number.*"BCRYPT_COST" must be greater than or equal to 12/,
    );
  });

  it('keeps bcrypt cost >= 12 outside NODE_ENV=test (the e2e harness alone may hash cheaper)', () => {
    const keys = { SECRET_KEY: generateSecretKey(), ENCRYPTION_KEY: generateEncryptionKey(), DATABASE_URL: 'postgres://app@db:5432/app' };
    expect(() => loadConfig({ NODE_ENV: 'production', BCRYPT_COST: '11', ...keys })).toThrow(
      /"BCRYPT_COST" must be greater than or equal to 12/,
    );
    expect(() => loadConfig({ NODE_ENV: 'development', DATA_DIR: dir, BCRYPT_COST: '4' })).toThrow(/greater than or equal to 12/);
    expect(loadConfig({ NODE_ENV: 'production', ...keys }).config.bcryptCost).toBe(12);
    expect(loadConfig({ NODE_ENV: 'test', DATA_DIR: dir, BCRYPT_COST: '4' }).config.bcryptCost).toBe(4);
    expect(() => loadConfig({ NODE_ENV: 'test', DATA_DIR: dir, BCRYPT_COST: '3' })).toThrow(/greater than or equal to 4/);
  });

  it('documents every key of the schema in .env.example', () => {
    const example = readFileSync(join(__dirname, '..', '..', '..', '.env.example'), 'utf8');
    const keys = Object.keys(configSchema.describe().keys ?? {});
    expect(keys.filter((k) => !new RegExp(`^${k}=`, 'm').test(example))).toEqual([]);
  });
});
