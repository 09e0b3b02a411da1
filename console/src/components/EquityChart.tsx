import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { chartWeight, moneyText } from '../lib/money';

export interface EquityPoint {
  at: string;
  equity: string;
}

/** The equity curve; the line's height is geometry, the tooltip shows the API's exact text. */
export function EquityChart({ points }: { points: EquityPoint[] }) {
  if (points.length === 0) return <p className="muted">No equity points yet.</p>;
  const data = points.map((p) => ({ at: p.at.slice(0, 10), y: chartWeight(p.equity), label: moneyText(p.equity) }));
  const last = points[points.length - 1];
  return (
    <figure aria-label={`Equity curve, ${points.length} points, last ${moneyText(last.equity)} on ${last.at}`}>
      <ResponsiveContainer width="100%" height={240}>
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="at" minTickGap={24} />
          <YAxis width={72} domain={['auto', 'auto']} />
          <Tooltip formatter={(_v, _n, item) => [(item.payload as { label: string }).label, 'equity']} />
          <Line type="monotone" dataKey="y" stroke="#2563eb" dot={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
