import { fmtPct, toNumber, type Numeric } from '../lib/format'

/** How much of a limit is used, as a bar: green, amber past 60 %, red past 85 %. */
export function gaugeLevel(used: number | null, limit: number | null): { ratio: number; level: '' | 'warn' | 'hot' } {
  if (used === null || limit === null || limit <= 0) return { ratio: 0, level: '' }
  const ratio = Math.max(0, Math.min(1, used / limit))
  return { ratio, level: ratio >= 0.85 ? 'hot' : ratio >= 0.6 ? 'warn' : '' }
}

export function Gauge({ label, used, limit }: { label: string; used: Numeric; limit: Numeric }) {
  const u = toNumber(used)
  const l = toNumber(limit)
  const { ratio, level } = gaugeLevel(u, l)
  return (
    <div className={`gauge ${level}`} data-testid={`gauge-${label}`}>
      <div className="label muted">{label}</div>
      <div className="bar"><div className="fill" style={{ width: `${(ratio * 100).toFixed(1)}%` }} /></div>
      <div className="nums num"><span>{fmtPct(u)}</span><span className="muted">limit {fmtPct(l)}</span></div>
    </div>
  )
}
