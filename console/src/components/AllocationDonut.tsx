import { Cell, Pie, PieChart, ResponsiveContainer, Tooltip } from 'recharts';
import { chartWeight, moneyText } from '../lib/money';

export interface Slice {
  currency: string;
  usd_value: string | null;
}

const COLORS = ['#2563eb', '#16a34a', '#f59e0b', '#dc2626', '#7c3aed', '#0891b2', '#db2777', '#65a30d'];

/** Allocation by USD value. Slice sizes are chart geometry; every label is the API's exact text. */
export function AllocationDonut({ balances }: { balances: Slice[] }) {
  const data = balances
    .map((b) => ({ name: b.currency, weight: chartWeight(b.usd_value), label: moneyText(b.usd_value) }))
    .filter((d) => d.weight > 0);
  if (data.length === 0) return <p className="muted">No valued balances to chart yet.</p>;
  const summary = data.map((d) => `${d.name} ${d.label} USD`).join(', ');
  return (
    <figure className="donut" aria-label={`Allocation by USD value: ${summary}`}>
      <ResponsiveContainer width="100%" height={220}>
        <PieChart>
          <Pie data={data} dataKey="weight" nameKey="name" innerRadius="55%" outerRadius="85%" paddingAngle={1} isAnimationActive={false}>
            {data.map((d, i) => (
              <Cell key={d.name} fill={COLORS[i % COLORS.length]} />
            ))}
          </Pie>
          <Tooltip
            formatter={(_v, _n, item) => [`${(item.payload as { label: string }).label} USD`, (item.payload as { name: string }).name]}
          />
        </PieChart>
      </ResponsiveContainer>
      <figcaption>
        <ul className="legend">
          {data.map((d, i) => (
            <li key={d.name}>
              <span className="swatch" style={{ background: COLORS[i % COLORS.length] }} aria-hidden="true" />
              {d.name}: <span className="money">{d.label}</span> USD
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
