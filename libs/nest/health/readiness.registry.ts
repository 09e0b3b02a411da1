import { Injectable } from '@nestjs/common';

export interface ReadinessResult {
  up: boolean;
  details?: Record<string, unknown>;
}

/**
 * Checks a context adds to /readyz (registered in its module's onModuleInit), so the platform's health
 * controller needs no import of any context: for example the vault's "every stored value has a key".
 */
@Injectable()
export class ReadinessChecks {
  private readonly checks = new Map<string, () => Promise<ReadinessResult>>();

  register(name: string, check: () => Promise<ReadinessResult>): void {
    this.checks.set(name, check);
  }

  entries(): [string, () => Promise<ReadinessResult>][] {
    return [...this.checks.entries()];
  }
}
