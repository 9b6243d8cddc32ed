import { useRef, useState } from 'react'
import { api, call, ORDER_STATUSES, ORDER_TYPES, TIME_IN_FORCE, type S } from '../api/client'
import { ApiError } from '../api/errors'
import { useAuth } from '../auth'
import { ErrorBanner } from '../components/ErrorBanner'
import { Num } from '../components/Num'
import { fmtTime } from '../lib/format'
import { emptyTicket, priceFields, ticketBody, validateTicket, type Ticket } from '../lib/orderForm'
import { useAccounts } from '../lib/useAccounts'
import { useDebounced, useLoad } from '../lib/useLoad'
import { useLive } from '../live/LiveProvider'
import { isOpenOrder } from '../live/liveReducer'

const OPEN: S<'OrderStatus'>[] = ['INITIALIZED', 'SUBMITTED', 'ACCEPTED', 'TRIGGERED', 'PARTIALLY_FILLED', 'PENDING_UPDATE', 'PENDING_CANCEL']
const PAGE = 50

function OrderTicket({ instruments, accounts, onPlaced }: { instruments: string[]; accounts: string[]; onPlaced: () => void }) {
  const [t, setT] = useState<Ticket>(() => emptyTicket(accounts[0] ?? '', instruments[0] ?? ''))
  const [errs, setErrs] = useState<Partial<Record<keyof Ticket, string>>>({})
  const [error, setError] = useState<unknown>(null)
  const [ok, setOk] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  // One idempotency key per ticket: a retried click after a timeout never places two orders.
  const key = useRef<string>(crypto.randomUUID())
  const acct = t.account_id || accounts[0] || ''
  const inst = t.instrument_id || instruments[0] || ''
  const set = <K extends keyof Ticket>(k: K, v: Ticket[K]) => { setT((o) => ({ ...o, [k]: v })); setErrs((e) => ({ ...e, [k]: undefined })); setOk(null) }
  const submit = async () => {
    const full = { ...t, account_id: acct, instrument_id: inst }
    const e = validateTicket(full)
    setErrs(e); setError(null); setOk(null)
    if (Object.keys(e).length) return
    setBusy(true)
    try {
      const o = await call(api.POST('/api/orders', { body: ticketBody(full), params: { header: { 'Idempotency-Key': key.current } } }))
      key.current = crypto.randomUUID()
      const said = `Order ${o.client_order_id} ${o.status.toLowerCase()}${o.reason ? `: ${o.reason}` : ''}`
      if (o.status === 'DENIED' || o.status === 'REJECTED') setError(said)
      else setOk(said)
      onPlaced()
    } catch (err) {
      if (err instanceof ApiError && err.status < 500) key.current = crypto.randomUUID() // refused: a new try is a new order
      setError(err)
    } finally { setBusy(false) }
  }
  const field = (k: 'quantity' | 'price' | 'trigger_price' | 'trailing_offset', label: string) => (
    <label className="field">{label}
      <input name={k} inputMode="decimal" className={errs[k] ? 'invalid' : ''} value={t[k]} onChange={(e) => set(k, e.target.value)} />
      {errs[k] && <span className="err" role="alert">{errs[k]}</span>}
    </label>
  )
  return (
    <div className="panel" data-testid="order-ticket">
      <h2>Place order</h2>
      <div className="row" style={{ marginBottom: 8 }}>
        <button className={t.side === 'BUY' ? 'buy' : ''} onClick={() => set('side', 'BUY')} aria-pressed={t.side === 'BUY'}>Buy</button>
        <button className={t.side === 'SELL' ? 'sell' : ''} onClick={() => set('side', 'SELL')} aria-pressed={t.side === 'SELL'}>Sell</button>
      </div>
      <div className="form">
        <label className="field">Account
          <select name="account_id" value={acct} onChange={(e) => set('account_id', e.target.value)}>{accounts.map((a) => <option key={a}>{a}</option>)}</select>
        </label>
        <label className="field">Instrument
          <select name="instrument_id" value={inst} onChange={(e) => set('instrument_id', e.target.value)}>{instruments.map((i) => <option key={i}>{i}</option>)}</select>
          {errs.instrument_id && <span className="err">{errs.instrument_id}</span>}
        </label>
        <label className="field">Type
          <select name="order_type" value={t.order_type} onChange={(e) => set('order_type', e.target.value as Ticket['order_type'])}>{ORDER_TYPES.map((o) => <option key={o}>{o}</option>)}</select>
        </label>
        {field('quantity', 'Quantity')}
        {priceFields(t.order_type).includes('price') && field('price', 'Limit price')}
        {priceFields(t.order_type).includes('trigger_price') && field('trigger_price', 'Trigger price')}
        {priceFields(t.order_type).includes('trailing_offset') && field('trailing_offset', 'Trailing offset')}
        <label className="field">Time in force
          <select name="time_in_force" value={t.time_in_force} onChange={(e) => set('time_in_force', e.target.value as Ticket['time_in_force'])}>{TIME_IN_FORCE.map((o) => <option key={o}>{o}</option>)}</select>
        </label>
      </div>
      <div className="row" style={{ margin: '8px 0' }}>
        <label className="check"><input type="checkbox" checked={t.reduce_only} onChange={(e) => set('reduce_only', e.target.checked)} />Reduce only</label>
        <label className="check"><input type="checkbox" checked={t.post_only} onChange={(e) => set('post_only', e.target.checked)} />Post only</label>
        {errs.post_only && <span className="err neg">{errs.post_only}</span>}
      </div>
      <ErrorBanner error={error} ok={ok} />
      <button className={t.side === 'BUY' ? 'buy' : 'sell'} disabled={busy} onClick={() => void submit()}>
        {t.side === 'BUY' ? 'Buy' : 'Sell'} {t.quantity || '…'} {inst.split('@')[0]}
      </button>
    </div>
  )
}

export function Orders() {
  const live = useLive()
  const { canTrade } = useAuth()
  const { accounts } = useAccounts()
  const instruments = useLoad(() => call(api.GET('/api/instruments')), [])
  const [status, setStatus] = useState<string>('')
  const [side, setSide] = useState<string>('')
  const [strategy, setStrategy] = useState('')
  const [instrument, setInstrument] = useState('')
  const [offset, setOffset] = useState(0)
  const [cancelErr, setCancelErr] = useState<unknown>(null)
  const query = {
    status: status === 'open' ? OPEN : status ? [status as S<'OrderStatus'>] : undefined,
    side: (side || undefined) as S<'OrderSide'> | undefined,
    strategy_id: strategy || undefined,
    instrument_id: instrument || undefined,
    limit: PAGE, offset,
  }
  const orders = useLoad(() => call(api.GET('/api/orders', { params: { query } })), [status, side, strategy, instrument, offset])
  useDebounced(() => void orders.reload(), live.orders, 250)
  const cancel = async (id: string) => {
    setCancelErr(null)
    try { await call(api.DELETE('/api/orders/{client_order_id}', { params: { path: { client_order_id: id } } })); await orders.reload() } catch (e) { setCancelErr(e) }
  }
  const rows = orders.data?.items ?? []
  return (
    <>
      <div className="topbar"><h1>Orders</h1></div>
      {canTrade && instruments.data && accounts.data && (
        <div style={{ marginBottom: 12 }}>
          <OrderTicket instruments={instruments.data} accounts={accounts.data.map((a) => a.id)} onPlaced={() => void orders.reload()} />
        </div>
      )}
      <div className="panel">
        <div className="row" style={{ marginBottom: 8 }}>
          <h2 style={{ margin: 0 }}>History</h2>
          <span className="spacer" style={{ flex: 1 }} />
          <select aria-label="status filter" value={status} onChange={(e) => { setStatus(e.target.value); setOffset(0) }}>
            <option value="">all statuses</option><option value="open">open (working)</option>
            {ORDER_STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
          <select aria-label="side filter" value={side} onChange={(e) => { setSide(e.target.value); setOffset(0) }}>
            <option value="">both sides</option><option>BUY</option><option>SELL</option>
          </select>
          <select aria-label="instrument filter" value={instrument} onChange={(e) => { setInstrument(e.target.value); setOffset(0) }}>
            <option value="">all instruments</option>{instruments.data?.map((i) => <option key={i}>{i}</option>)}
          </select>
          <input aria-label="strategy filter" placeholder="strategy id" value={strategy} onChange={(e) => { setStrategy(e.target.value); setOffset(0) }} style={{ width: 120 }} />
        </div>
        <ErrorBanner error={orders.error ?? cancelErr} />
        <div className="scroll" style={{ maxHeight: 520 }}>
          <table data-testid="orders">
            <thead><tr><th>Time (UTC)</th><th>Order</th><th>Strategy</th><th>Instrument</th><th>Side</th><th>Type</th><th className="num">Qty</th><th className="num">Filled</th><th className="num">Price</th><th className="num">Avg fill</th><th>Status</th><th>Reason</th><th /></tr></thead>
            <tbody>
              {rows.map((o) => (
                <tr key={o.client_order_id} data-order={o.client_order_id}>
                  <td className="num" style={{ textAlign: 'left' }}>{fmtTime(o.ts_init)}</td>
                  <td className="muted">{o.client_order_id}</td>
                  <td>{o.strategy_id}</td>
                  <td>{o.instrument_id}</td>
                  <td className={o.side === 'BUY' ? 'pos' : 'neg'}>{o.side}</td>
                  <td>{o.order_type}</td>
                  <td className="num"><Num v={o.quantity} qty /></td>
                  <td className="num"><Num v={o.filled_qty} qty /></td>
                  <td className="num"><Num v={o.price ?? o.trigger_price} /></td>
                  <td className="num"><Num v={o.avg_px} /></td>
                  <td><span className={`badge ${o.status === 'FILLED' ? 'pos' : ['REJECTED', 'DENIED'].includes(o.status) ? 'neg' : isOpenOrder(o) ? 'warn' : ''}`}>{o.status}</span></td>
                  <td className="muted" style={{ whiteSpace: 'normal', maxWidth: 260 }}>{o.reason ?? ''}</td>
                  <td>{canTrade && isOpenOrder(o) && <button className="small" onClick={() => void cancel(o.client_order_id)}>Cancel</button>}</td>
                </tr>
              ))}
              {!rows.length && <tr><td colSpan={13} className="empty">{orders.loading ? 'Loading…' : 'No orders match'}</td></tr>}
            </tbody>
          </table>
        </div>
        <div className="row end" style={{ marginTop: 8 }}>
          <span className="muted">{rows.length ? `${offset + 1}–${offset + rows.length}` : ''}</span>
          <button className="small" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>Prev</button>
          <button className="small" disabled={orders.data?.next_offset == null} onClick={() => setOffset(orders.data?.next_offset ?? offset)}>Next</button>
        </div>
      </div>
    </>
  )
}
