import { Injectable } from '@nestjs/common';
import { AuditTrail, Clock, DomainError, FieldError, RequestMeta, UnitOfWork, validationMessage } from '@kernel';
import { SyncStateRepository } from '../domain/exchange-sync.ports';
import { OcoSettings, validatePct } from '../domain/oco';
import { UserSyncService } from './user-sync.service';

/** Per-user OCO percentages (defaults: OCO_STOP_LOSS_PCT / OCO_TAKE_PROFIT_PCT). */
@Injectable()
export class OcoSettingsService {
  constructor(
    private readonly state: SyncStateRepository,
    private readonly users: UserSyncService,
    private readonly audit: AuditTrail,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  get(userId: string): Promise<OcoSettings> {
    return this.users.settingsFor(userId);
  }

  async save(userId: string, s: OcoSettings, meta: RequestMeta): Promise<OcoSettings> {
    const problems: FieldError[] = [
      { field: 'stop_loss_pct', problem: validatePct(s.stopLossPct) },
      { field: 'take_profit_pct', problem: validatePct(s.takeProfitPct) },
    ].flatMap(({ field, problem }) => (problem ? [{ field, messages: [problem] }] : []));
    if (problems.length) {
      // The message keeps the bare rule; the list names the field in each message, as the DTO pipe's do.
      throw DomainError.validation(
        problems.map((e) => ({ field: e.field, messages: e.messages.map((m) => `${e.field} ${m}`) })),
        { message: validationMessage(problems) },
      );
    }
    await this.uow.run(async () => {
      await this.state.saveSettings(userId, s, this.clock.now());
      await this.audit.record(
        {
          eventType: 'exchange_sync.oco.settings',
          outcome: 'success',
          userId,
          payload: { stop_loss_pct: s.stopLossPct, take_profit_pct: s.takeProfitPct },
        },
        meta,
      );
    });
    return s;
  }
}
