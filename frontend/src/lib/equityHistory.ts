// The dashboard's equity curve: the history the server recorded (GET /api/accounts/{id}/equity)
// joined with the points the websocket streams while the page is open.
import type { EquityPoint } from '../live/liveReducer'
import { nsToSeconds } from '../live/liveReducer'

/** What the history endpoint returns per point (times are int UTC ns, money decimal strings). */
export interface HistoryRow { ts: number; equity: string | number; cash?: string | number; unrealized_pnl?: string | number | null }

/** Chart points (seconds) from the recorded history, skipping rows without a number. */
export function historyPoints(rows: readonly HistoryRow[] | undefined): EquityPoint[] {
  const out: EquityPoint[] = []
  for (const r of rows ?? []) {
    const value = Number(r.equity)
    if (!Number.isFinite(value) || typeof r.ts !== 'number' || !Number.isFinite(r.ts)) continue
    out.push({ time: nsToSeconds(r.ts, 0), value })
  }
  return out
}

/** History and live points in time order with one point per second: where both have a second,
 * the live point wins (it is the newer reading), and within one list the later point wins. */
export function mergeEquity(history: readonly EquityPoint[], live: readonly EquityPoint[]): EquityPoint[] {
  const bySecond = new Map<number, number>()
  for (const p of history) if (Number.isFinite(p.value)) bySecond.set(p.time, p.value)
  for (const p of live) if (Number.isFinite(p.value)) bySecond.set(p.time, p.value)
  return [...bySecond.entries()].sort((a, b) => a[0] - b[0]).map(([time, value]) => ({ time, value }))
}
