// The live state the websocket keeps current: the latest snapshot of the portfolio, positions,
// orders and breaker, the most recent fills and prices, and a short equity history for the
// curve. A pure reducer, so every message kind is unit-tested without a socket.

export type Row = Record<string, unknown>

export interface EquityPoint { time: number; value: number }

export interface LiveState {
  status: 'connecting' | 'open' | 'closed'
  lastMessageAt: number | null
  portfolio: Row | null
  positions: Record<string, Row>
  orders: Record<string, Row>
  fills: Row[]
  prices: Record<string, Row>
  breaker: Row | null
  equity: EquityPoint[]
  events: number
}

export const initialLive: LiveState = {
  status: 'connecting', lastMessageAt: null, portfolio: null, positions: {}, orders: {}, fills: [],
  prices: {}, breaker: null, equity: [], events: 0,
}

export const MAX_FILLS = 100
export const MAX_EQUITY_POINTS = 5000

export type LiveAction =
  | { kind: 'status'; status: LiveState['status'] }
  | { kind: 'message'; msg: unknown; receivedAt: number }

function key(r: Row, ...names: string[]): string {
  for (const n of names) if (r[n] !== undefined && r[n] !== null) return String(r[n])
  return JSON.stringify(r)
}

/** Unwrap the message envelope: {type|channel|topic|event, data|payload} or a flat object. */
export function parseMessage(msg: unknown): { type: string; data: Row } | null {
  if (typeof msg !== 'object' || msg === null) return null
  const m = msg as Row
  const type = (m.type ?? m.channel ?? m.topic ?? m.event) as string | undefined
  if (typeof type !== 'string') return null
  const payload = m.data ?? m.payload
  const data = (typeof payload === 'object' && payload !== null ? payload : m) as Row
  return { type: type.toLowerCase(), data }
}

function timeSeconds(d: Row, receivedAt: number): number {
  const t = d.ts ?? d.ts_event ?? d.time ?? d.timestamp
  if (typeof t === 'number' || (typeof t === 'string' && /^\d+$/.test(t))) {
    const n = Number(t)
    return Math.floor(n > 1e17 ? n / 1e9 : n > 1e14 ? n / 1e6 : n > 1e11 ? n / 1e3 : n)
  }
  if (typeof t === 'string') {
    const ms = Date.parse(t)
    if (!Number.isNaN(ms)) return Math.floor(ms / 1000)
  }
  return Math.floor(receivedAt / 1000)
}

function addEquity(points: EquityPoint[], p: EquityPoint): EquityPoint[] {
  if (!Number.isFinite(p.value)) return points
  const last = points[points.length - 1]
  if (last && p.time < last.time) return points
  const next = last && last.time === p.time ? [...points.slice(0, -1), p] : [...points, p]
  return next.length > MAX_EQUITY_POINTS ? next.slice(next.length - MAX_EQUITY_POINTS) : next
}

const OPEN_STATUSES = new Set(['initialized', 'submitted', 'accepted', 'partially_filled', 'pending', 'open', 'new'])

/** True while an order can still fill (so it belongs in the open-orders view). */
export function isOpenOrder(o: Row): boolean {
  return OPEN_STATUSES.has(String(o.status ?? o.state ?? '').toLowerCase())
}

export function liveReducer(state: LiveState, action: LiveAction): LiveState {
  if (action.kind === 'status') return { ...state, status: action.status }
  const parsed = parseMessage(action.msg)
  if (!parsed) return state
  const { type, data } = parsed
  const base = { ...state, lastMessageAt: action.receivedAt, events: state.events + 1 }
  switch (type) {
    case 'portfolio':
    case 'pnl':
    case 'account': {
      const eq = Number(data.equity ?? data.total_equity)
      return {
        ...base,
        portfolio: { ...(state.portfolio ?? {}), ...data },
        equity: Number.isFinite(eq) ? addEquity(state.equity, { time: timeSeconds(data, action.receivedAt), value: eq }) : state.equity,
      }
    }
    case 'position':
    case 'positions': {
      const list = Array.isArray(data.positions) ? (data.positions as Row[]) : [data]
      const positions = Array.isArray(data.positions) ? {} as Record<string, Row> : { ...state.positions }
      for (const p of list) {
        const k = key(p, 'instrument_id', 'symbol', 'instrument', 'id')
        const q = Number(p.quantity ?? p.qty ?? p.net_quantity ?? 0)
        if (q === 0 && p.side !== undefined && String(p.side).toUpperCase() === 'FLAT') delete positions[k]
        else if (q === 0) delete positions[k]
        else positions[k] = { ...(positions[k] ?? {}), ...p }
      }
      return { ...base, positions }
    }
    case 'order':
    case 'orders': {
      const k = key(data, 'client_order_id', 'id', 'order_id')
      return { ...base, orders: { ...state.orders, [k]: { ...(state.orders[k] ?? {}), ...data } } }
    }
    case 'fill':
    case 'fills': {
      const k = key(data, 'trade_id', 'id')
      if (state.fills.some((f) => key(f, 'trade_id', 'id') === k)) return base
      return { ...base, fills: [data, ...state.fills].slice(0, MAX_FILLS) }
    }
    case 'price':
    case 'prices':
    case 'bar':
    case 'tick':
    case 'quote': {
      const k = key(data, 'symbol', 'instrument_id', 'instrument')
      return { ...base, prices: { ...state.prices, [k]: { ...data, _type: type } } }
    }
    case 'breaker':
    case 'risk':
    case 'kill_switch':
    case 'circuit_breaker':
      return { ...base, breaker: { ...(state.breaker ?? {}), ...data } }
    default:
      return base
  }
}
