import { WeightBudget } from './weight-budget';

/** A budget on a hand-moved clock; every wait moves it on and is recorded. */
function budgetAt(start: number, perMinute = 100) {
  const clock = { now: start, waits: [] as number[] };
  const budget = new WeightBudget(
    perMinute,
    () => clock.now,
    async (ms) => {
      clock.waits.push(ms);
      clock.now += ms;
    },
  );
  return { budget, clock };
}

describe('WeightBudget', () => {
  it('spends up to the limit in a minute, then waits for the next window', async () => {
    const { budget, clock } = budgetAt(1_000_000);
    await budget.take(80);
    await budget.take(20);
    expect(clock.waits).toEqual([]);
    clock.now += 10_000;
    await budget.take(20); // 120 > 100: waits the 50 s left of the window
    expect(clock.waits).toEqual([50_000]);
    expect(budget.spent).toBe(20);
  });

  it("takes the exchange's higher count into account, never a lower one", async () => {
    const { budget, clock } = budgetAt(0);
    await budget.take(10);
    budget.observe(95);
    budget.observe(5);
    expect(budget.spent).toBe(95);
    await budget.take(10);
    expect(clock.waits).toEqual([60_000]);
  });

  it('lets one call heavier than the whole budget through alone', async () => {
    const { budget, clock } = budgetAt(0, 10);
    await budget.take(20);
    expect(budget.spent).toBe(20);
    expect(clock.waits).toEqual([]);
  });
});
