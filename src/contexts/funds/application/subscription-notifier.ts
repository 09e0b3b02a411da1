import { Injectable, Logger } from '@nestjs/common';
import { Clock, newId, Notifier } from '@kernel';
import { FundTransaction, maskDestination } from '../domain/fund';
import { NotificationLog, NotifyPreference, NotifyPreferences } from '../domain/funds.ports';

/** Attempts and the pause before each retry (ms). */
export const NOTIFY_BACKOFF_MS = [0, 200, 800];

/**
 * Tells the user about a subscription AFTER it committed: a pending row is written
 * inside the subscription's transaction (so a crash leaves a trace), the send runs
 * in the background with retries, and the outcome is recorded. A failure never
 * undoes the subscription.
 */
@Injectable()
export class SubscriptionNotifier {
  private readonly logger = new Logger('FundsNotifications');
  private readonly inFlight = new Set<Promise<void>>();
  backoffMs = NOTIFY_BACKOFF_MS;

  constructor(
    private readonly prefs: NotifyPreferences,
    private readonly log: NotificationLog,
    private readonly notifier: Notifier,
    private readonly clock: Clock,
  ) {}

  /** Inside the transaction: resolve the preference and record a pending notice. */
  async prepare(tx: FundTransaction): Promise<PreparedNotice> {
    const pref = await this.prefs.forUser(tx.userId);
    const id = newId();
    await this.log.create(
      {
        id,
        userId: tx.userId,
        transactionId: tx.id,
        channel: pref?.channel ?? null,
        destinationMasked: pref ? maskDestination(pref.destination) : null,
        status: pref ? 'pending' : 'skipped',
        attempts: 0,
        adapter: null,
        lastError: pref ? null : 'no notification destination on file',
      },
      this.clock.now(),
    );
    return { id, pref, tx };
  }

  /** After commit: fire and forget (tracked so shutdown can wait for it). */
  dispatch(notice: PreparedNotice): void {
    if (!notice.pref) return;
    const p = this.deliver(notice.id, notice.pref, notice.tx)
      .catch((e: unknown) => this.logger.warn(`notification ${notice.id} not recorded: ${(e as Error).message}`))
      .finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  /** Resolves when every background send has finished (tests, graceful shutdown). */
  async drain(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  private async deliver(id: string, pref: NotifyPreference, tx: FundTransaction): Promise<void> {
    let attempts = 0;
    let lastError: string | null = null;
    let adapter: string | null = null;
    for (const delay of this.backoffMs) {
      if (delay) await new Promise((r) => setTimeout(r, delay));
      attempts += 1;
      const result = await this.notifier
        .send({
          channel: pref.channel,
          destination: pref.destination,
          subject: `Suscripción al fondo ${tx.fundName}`,
          body:
            `Se registró su suscripción al fondo ${tx.fundName} por ${tx.currency} ${tx.amount.toFixed()}. ` +
            `Transacción ${tx.id}. Saldo disponible: ${tx.currency} ${tx.balanceAfter.toFixed()}.`,
        })
        .catch((e: unknown) => ({ status: 'failed' as const, adapter: 'unknown', error: (e as Error).message }));
      adapter = result.adapter;
      if (result.status === 'sent') {
        await this.log.update(id, { status: 'sent', attempts, adapter, lastError: null }, this.clock.now());
        return;
      }
      lastError = (result.error ?? 'unknown error').slice(0, 500);
    }
    this.logger.warn(`notification for transaction ${tx.id} failed after ${attempts} attempts (${adapter})`);
    await this.log.update(id, { status: 'failed', attempts, adapter, lastError }, this.clock.now());
  }
}

export interface PreparedNotice {
  id: string;
  pref: NotifyPreference | null;
  tx: FundTransaction;
}
