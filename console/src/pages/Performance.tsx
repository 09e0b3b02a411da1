import { ApiError, get } from '../api/client';
import { EquityChart, type EquityPoint } from '../components/EquityChart';
import { ErrorNotice, Section } from '../components/ui';
import { cellText } from '../lib/table';
import { useResource } from '../lib/use-resource';

type Performance = Record<string, unknown>;

/** The curve under whichever name the API uses; each point's time and value picked by common field names. */
export function equityPoints(p: Performance): EquityPoint[] {
  const raw = [p.equity_curve, p.equity, p.curve].find(Array.isArray) as Record<string, unknown>[] | undefined;
  return (raw ?? []).flatMap((pt) => {
    const at = [pt.at, pt.ts, pt.time, pt.date, pt.timestamp].find((v) => typeof v === 'string') as string | undefined;
    const value = [pt.equity, pt.value, pt.balance, pt.equity_usd].find((v) => typeof v === 'string' || typeof v === 'number');
    return at && value !== undefined ? [{ at, equity: String(value) }] : [];
  });
}

/** GET /api/broker/performance: seed 002's metrics from recorded fills and the realized equity curve (a 404: a server without the route). */
export function PerformanceSection() {
  const perf = useResource(async () => {
    try {
      return await get<Performance>('/api/broker/performance');
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return null;
      throw e;
    }
  });
  const p = perf.data;
  const figures = p
    ? Object.entries(p).filter(([, v]) => v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
    : [];
  return (
    <Section title="Performance">
      <ErrorNotice error={perf.error} onRetry={perf.reload} />
      {p === null && <p className="muted">Trading performance is not available on this server yet.</p>}
      {p && (
        <>
          <dl className="metrics">
            {figures.map(([k, v]) => (
              <div key={k} className="fact">
                <dt>{k.replace(/_/g, ' ')}</dt>
                <dd className="money">{cellText(v)}</dd>
              </div>
            ))}
          </dl>
          <EquityChart points={equityPoints(p)} />
        </>
      )}
    </Section>
  );
}
