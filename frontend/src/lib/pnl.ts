// P&L figures the dashboard derives from what the API streams: today's change, drawdown from the
// peak, exposure, and a strategy's P&L from its fills (average cost, like the portfolio).
import type { EquityPoint } from '../live/liveReducer'

/** Start of the UTC day containing `sec` (seconds). */
export const utcDayStart = (sec: number) => sec - (((sec % 86400) + 86400) % 86400)

/** The first point of the latest point's UTC day (null without points). */
export function dayStartPoint(points: EquityPoint[]): EquityPoint | null {
  const last = points[points.length - 1]
  if (!last) return null
  const start = utcDayStart(last.time)
  return points.find((p) => p.time >= start) ?? null
}

/** Equity at the first point of the current UTC day (null before any point today). */
export function dayStartEquity(points: EquityPoint[]): number | null {
  return dayStartPoint(points)?.value ?? null
}

/** Fall from the highest equity seen to the latest, as a fraction of the peak (≥ 0). */
export function drawdown(points: EquityPoint[]): number | null {
  if (!points.length) return null
  let peak = -Infinity
  for (const p of points) peak = Math.max(peak, p.value)
  const last = points[points.length - 1].value
  return peak > 0 ? Math.max(0, (peak - last) / peak) : null
}

/** Today's loss as a fraction of the day's starting equity (0 when the day is up). */
export function dailyLossUsed(points: EquityPoint[]): number | null {
  const start = dayStartEquity(points)
  if (start === null || start <= 0) return null
  const last = points[points.length - 1].value
  return Math.max(0, (start - last) / start)
}

/** Gross exposure of the positions at their marks, as a fraction of equity. */
export function exposure(positions: { quantity?: unknown; mark: number | null; avg_price?: unknown }[], equity: number | null): number | null {
  if (equity === null || !(equity > 0)) return null
  let gross = 0
  for (const p of positions) {
    const q = Math.abs(Number(p.quantity))
    const px = p.mark ?? Number(p.avg_price)
    if (Number.isFinite(q) && Number.isFinite(px)) gross += q * px
  }
  return gross / equity
}

export interface FillLike { side: string; quantity: string | number; price: string | number; commission?: string | number | null; instrument_id?: string }

export interface StrategyPnl { realized: number; unrealized: number; fees: number; total: number; position: number; trades: number }

/** Realized and unrealized P&L of a sequence of fills (oldest first) on one instrument, average
 * cost, marked at `mark`. Flips through zero close the old side first. */
export function pnlFromFills(fills: FillLike[], mark: number | null): StrategyPnl {
  let pos = 0, avg = 0, realized = 0, fees = 0
  for (const f of fills) {
    const q = Number(f.quantity), px = Number(f.price)
    if (!Number.isFinite(q) || !Number.isFinite(px) || q <= 0) continue
    fees += Number(f.commission ?? 0) || 0
    const signed = f.side.toUpperCase() === 'BUY' ? q : -q
    if (pos === 0 || Math.sign(pos) === Math.sign(signed)) {
      avg = (avg * Math.abs(pos) + px * q) / (Math.abs(pos) + q)
      pos += signed
    } else {
      const closing = Math.min(Math.abs(pos), q)
      realized += closing * (px - avg) * Math.sign(pos)
      const rest = q - closing
      pos += signed
      if (Math.abs(pos) < 1e-12) { pos = 0; avg = 0 }
      if (rest > 1e-12) avg = px
    }
  }
  const unrealized = mark !== null && pos !== 0 ? (mark - avg) * pos : 0
  return { realized, unrealized, fees, total: realized + unrealized - fees, position: pos, trades: fills.length }
}
