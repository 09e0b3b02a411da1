/** Starts timing a call: the function returned answers the milliseconds since, to the microsecond (the latency figures). */
export function stopwatch(): () => number {
  const started = process.hrtime.bigint();
  return () => Number((process.hrtime.bigint() - started) / 1000n) / 1000;
}
