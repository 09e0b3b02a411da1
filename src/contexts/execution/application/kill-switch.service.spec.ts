import { DomainError } from '@kernel';
import { FakeClock } from '@testing/fake-clock';
import { ImmediateUnitOfWork, RecordingAuditTrail } from '../../../../test/fakes/kernel-in-memory';
import { InMemoryKillSwitch } from '../../../../test/fakes/execution-in-memory';
import { KillSwitchService } from './kill-switch.service';

const meta = { requestId: 'req-1' };

function setup() {
  const repo = new InMemoryKillSwitch();
  const audit = new RecordingAuditTrail();
  const clock = new FakeClock('2026-03-01T09:00:00Z');
  return { repo, audit, clock, service: new KillSwitchService(repo, audit, new ImmediateUnitOfWork(), clock) };
}

describe('KillSwitchService (in-memory ports)', () => {
  it('engaging halts placement with a 423 that says who can release it', async () => {
    const { service, repo, audit } = setup();
    await service.assertDisengaged();
    const state = await service.set('admin-1', true, 'exchange incident', meta);
    expect(state).toEqual({
      engaged: true,
      reason: 'exchange incident',
      changedBy: 'admin-1',
      changedAt: new Date('2026-03-01T09:00:00Z'),
    });
    expect(repo.state).toEqual(state);
    const refused = await service.assertDisengaged().catch((e: DomainError) => e);
    expect(refused).toMatchObject({ kind: 'locked', code: 'kill_switch_engaged' });
    expect((refused as Error).message).toContain('exchange incident');
    expect(audit.events).toEqual([
      expect.objectContaining({
        eventType: 'execution.kill_switch',
        userId: 'admin-1',
        payload: { engaged: true, reason: 'exchange incident', was_engaged: false },
      }),
    ]);
  });

  it('releasing needs a reason of at least 10 characters, and nothing changes without one', async () => {
    const { service, repo, audit } = setup();
    await service.set('admin-1', true, 'halt', meta);
    await expect(service.set('admin-1', false, '  ok  ', meta)).rejects.toMatchObject({
      kind: 'invalid',
      code: 'validation_failed',
      details: { errors: [{ field: 'reason', messages: ['reason must be at least 10 characters to release the kill switch'] }] },
    });
    expect(repo.state.engaged).toBe(true);
    await service.set('admin-2', false, 'incident resolved by the exchange', meta);
    await service.assertDisengaged();
    expect(audit.events.map((e) => e.payload)).toEqual([
      { engaged: true, reason: 'halt', was_engaged: false },
      { engaged: false, reason: 'incident resolved by the exchange', was_engaged: true },
    ]);
  });
});
