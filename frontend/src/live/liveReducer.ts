// The live state the websocket `/ws` keeps current. The server sends {"topic", "data"}: first a
// `snapshot` (accounts, positions, strategies), then `pnl` per account and bar, `price` bars,
// `order` and `fill` events, `position` changes, `breaker` (kill switch) and `strategy` errors.
// A pure reducer, so every topic is unit-tested without a socket.

export type Row = Record<string, unknown>

export interface EquityPoint { time: number; value: number }

export interface LiveState {
  status: 'connecting' | 'open' | 'closed'
  lastMessageAt: number | null
  accounts: Record<string, Row>
  positions: Record<string, Row>
  strategies: Record<string, Row>
  orders: Record<string, Row>
  fills: Row[]
  prices: Record<string, Row>
  breaker: Row | null
  /** equity history per account id, one point per bar */
  equity: Record<string, EquityPoint[]>
  events: number
}

export const initialLive: LiveState = {
  status: 'connecting', lastMessageAt: null, accounts: {}, positions: {}, strategies: {}, orders: {},
  fills: [], prices: {}, breaker: null, equity: {}, events: 0,
}

export const MAX_FILLS = 100
export const MAX_EQUITY_POINTS = 5000
export const MAX_ORDERS = 500

export type LiveAction =
  | { kind: 'status'; status: LiveState['status'] }
  | { kind: 'message'; msg: unknown; receivedAt: number }

/** Unwrap the message envelope {topic, data} (also {type|channel|event, data|payload}). */
export function parseMessage(msg: unknown): { topic: string; data: Row } | null {
  if (typeof msg !== 'object' || msg === null) return null
  const m = msg as Row
  const topic = m.topic ?? m.type ?? m.channel ?? m.event
  if (typeof topic !== 'string') return null
  const payload = m.data ?? m.payload
  return { topic: topic.toLowerCase(), data: (typeof payload === 'object' && payload !== null ? payload : {}) as Row }
}

/** Seconds from the server's int UTC nanoseconds (every time on the wire is ns). */
export function nsToSeconds(t: unknown, fallbackMs: number): number {
  const n = typeof t === 'number' ? t : typeof t === 'string' && /^\d+$/.test(t) ? Number(t) : NaN
  if (!Number.isFinite(n)) return Math.floor(fallbackMs / 1000)
  return Math.floor(n / 1e9)
}

export const positionKey = (p: Row) => `${String(p.account_id ?? '')}|${String(p.instrument_id ?? '')}`

function addEquity(points: EquityPoint[] = [], p: EquityPoint): EquityPoint[] {
  if (!Number.isFinite(p.value)) return points
  const last = points[points.length - 1]
  if (last && p.time < last.time) return points
  const next = last && last.time === p.time ? [...points.slice(0, -1), p] : [...points, p]
  return next.length > MAX_EQUITY_POINTS ? next.slice(next.length - MAX_EQUITY_POINTS) : next
}

const OPEN = new Set(['initialized', 'submitted', 'accepted', 'partially_filled', 'pending_cancel', 'pending_update', 'triggered'])

/** True while an order can still fill. */
export function isOpenOrder(o: Row): boolean {
  return OPEN.has(String(o.status ?? '').toLowerCase())
}

function isFlat(q: unknown): boolean {
  const n = Number(q)
  return !Number.isFinite(n) || n === 0
}

function byKey(rows: unknown, key: (r: Row) => string): Record<string, Row> {
  const out: Record<string, Row> = {}
  if (Array.isArray(rows)) for (const r of rows as Row[]) out[key(r)] = r
  return out
}

export function liveReducer(state: LiveState, action: LiveAction): LiveState {
  if (action.kind === 'status') return { ...state, status: action.status }
  const parsed = parseMessage(action.msg)
  if (!parsed) return state
  const { topic, data } = parsed
  const base: LiveState = { ...state, lastMessageAt: action.receivedAt, events: state.events + 1 }
  switch (topic) {
    case 'snapshot': {
      const positions = byKey(data.positions, positionKey)
      for (const [k, p] of Object.entries(positions)) if (isFlat(p.quantity)) delete positions[k]
      return {
        ...base,
        accounts: Array.isArray(data.accounts) ? byKey(data.accounts, (a) => String(a.id)) : state.accounts,
        positions: Array.isArray(data.positions) ? positions : state.positions,
        strategies: Array.isArray(data.strategies) ? byKey(data.strategies, (s) => String(s.id)) : state.strategies,
      }
    }
    case 'pnl': {
      const id = String(data.account_id ?? '')
      const eq = Number(data.equity)
      return {
        ...base,
        accounts: { ...state.accounts, [id]: { ...(state.accounts[id] ?? { id }), ...data, id } },
        equity: Number.isFinite(eq)
          ? { ...state.equity, [id]: addEquity(state.equity[id], { time: nsToSeconds(data.ts_event, action.receivedAt), value: eq }) }
          : state.equity,
      }
    }
    case 'position': {
      const k = positionKey(data)
      const positions = { ...state.positions }
      if (isFlat(data.quantity)) delete positions[k]
      else positions[k] = { ...(positions[k] ?? {}), ...data }
      return { ...base, positions }
    }
    case 'order': {
      const k = String(data.client_order_id ?? '')
      const orders = { ...state.orders, [k]: { ...(state.orders[k] ?? {}), ...data } }
      const keys = Object.keys(orders)
      if (keys.length > MAX_ORDERS) for (const old of keys.slice(0, keys.length - MAX_ORDERS)) delete orders[old]
      return { ...base, orders }
    }
    case 'fill': {
      const k = String(data.trade_id ?? '')
      if (k && state.fills.some((f) => String(f.trade_id) === k)) return base
      return { ...base, fills: [data, ...state.fills].slice(0, MAX_FILLS) }
    }
    case 'price':
      return { ...base, prices: { ...state.prices, [String(data.instrument_id ?? '')]: data } }
    case 'breaker':
      return { ...base, breaker: { ...data, at: action.receivedAt } }
    case 'strategy': {
      const id = String(data.strategy_id ?? data.id ?? '')
      return { ...base, strategies: { ...state.strategies, [id]: { ...(state.strategies[id] ?? { id }), ...data } } }
    }
    default:
      return base
  }
}

/** Unrealized P&L of a position at the latest price the stream sent (falls back to the
 * server's figure when no newer price has arrived). Linear instruments: (mark − avg) × qty. */
export function liveUnrealized(p: Row, prices: Record<string, Row>): { mark: number | null; upnl: number | null } {
  const bar = prices[String(p.instrument_id)]
  const mark = bar ? Number(bar.close) : p.mark_price !== undefined && p.mark_price !== null ? Number(p.mark_price) : null
  const qty = Number(p.quantity)
  const avg = Number(p.avg_price)
  if (mark === null || !Number.isFinite(mark) || !Number.isFinite(qty) || !Number.isFinite(avg)) {
    const u = Number(p.unrealized_pnl)
    return { mark, upnl: Number.isFinite(u) ? u : null }
  }
  return { mark, upnl: (mark - avg) * qty }
}
