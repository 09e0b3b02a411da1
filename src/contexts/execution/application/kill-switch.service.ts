import { Injectable } from '@nestjs/common';
import { AuditTrail, Clock, DomainError, RequestMeta, UnitOfWork } from '@kernel';
import { KillSwitchRepository } from '../domain/execution.ports';
import { KillSwitchState } from '../domain/risk';

export const RELEASE_REASON_MIN = 10;

@Injectable()
export class KillSwitchService {
  constructor(
    private readonly repo: KillSwitchRepository,
    private readonly audit: AuditTrail,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  /** Read from the database each time: every API instance sees the switch at once. */
  state(): Promise<KillSwitchState> {
    return this.repo.get();
  }

  async assertDisengaged(): Promise<void> {
    const s = await this.repo.get();
    if (s.engaged) {
      throw new DomainError(
        'locked',
        'kill_switch_engaged',
        `Trading is halted by the kill switch: ${s.reason ?? 'no reason given'}. An admin must release it (POST /ops/execution/kill-switch {"engaged": false}).`,
      );
    }
  }

  async set(adminId: string, engaged: boolean, reason: string, meta: RequestMeta): Promise<KillSwitchState> {
    // Resuming trading is the riskier direction: say why, in a sentence the audit trail keeps.
    if (!engaged && reason.trim().length < RELEASE_REASON_MIN) {
      const message = `reason must be at least ${RELEASE_REASON_MIN} characters to release the kill switch`;
      throw DomainError.invalidField('reason', message);
    }
    const state: KillSwitchState = { engaged, reason, changedBy: adminId, changedAt: this.clock.now() };
    await this.uow.run(async () => {
      const before = await this.repo.get();
      await this.repo.set(state);
      await this.audit.record(
        {
          eventType: 'execution.kill_switch',
          outcome: 'success',
          userId: adminId,
          payload: { engaged, reason, was_engaged: before.engaged },
        },
        meta,
      );
    });
    return state;
  }
}
