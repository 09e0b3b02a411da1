import { AuditEventInput, AuditTrail, RequestMeta, UnitOfWork } from '@kernel';
import { AppConfig } from '@platform/config/app-config';
import { generateEncryptionKey, generateSecretKey, loadConfig } from '@platform/config/load-config';

/** An in-memory guarded write that found its row changed: `ImmediateUnitOfWork.once` answers undefined. */
export class StaleGuard extends Error {}

/** For unit tests: runs the work with no transaction. */
export class ImmediateUnitOfWork extends UnitOfWork {
  runs = 0;
  onces = 0;
  run<T>(work: () => Promise<T>): Promise<T> {
    this.runs++;
    return work();
  }
  /** Fakes must check their guards before they write anything (a real `once` writes nothing on a stale guard). */
  async once<T>(work: () => Promise<T | undefined>): Promise<T | undefined> {
    this.onces++;
    try {
      return await work();
    } catch (e) {
      if (e instanceof StaleGuard) return undefined;
      throw e;
    }
  }
  batch<T>(work: () => Promise<T>): Promise<T> {
    return work();
  }
}

/** Keeps every audit event (with its request meta) for the spec to read. */
export class RecordingAuditTrail extends AuditTrail {
  readonly events: (AuditEventInput & { meta?: RequestMeta })[] = [];
  async record(event: AuditEventInput, meta?: RequestMeta) {
    this.events.push({ ...event, meta });
  }
  types(): string[] {
    return this.events.map((e) => `${e.eventType}:${e.outcome}`);
  }
}

/** The validated config a test process would boot with (keys generated, nothing read from disk). */
export const unitConfig = (env: Record<string, string> = {}): AppConfig =>
  loadConfig({
    NODE_ENV: 'test',
    SECRET_KEY: generateSecretKey(),
    ENCRYPTION_KEY: generateEncryptionKey(),
    DATABASE_URL: 'postgres://unit@127.0.0.1:1/unit_test',
    ...env,
  }).config;
