import { useMemo, useState } from 'react'
import { api, call, type S } from '../api/client'
import { useAuth } from '../auth'
import { EquityChart } from '../components/charts'
import { ConfirmDialog } from '../components/ConfirmDialog'
import { ErrorBanner } from '../components/ErrorBanner'
import { Gauge } from '../components/Gauge'
import { Num } from '../components/Num'
import { fmtTime, toNumber } from '../lib/format'
import { historyPoints, mergeEquity } from '../lib/equityHistory'
import { dailyLossUsed, dayStartPoint, drawdown, exposure } from '../lib/pnl'
import { useAccounts } from '../lib/useAccounts'
import { useDebounced, useLoad } from '../lib/useLoad'
import { useLive } from '../live/LiveProvider'
import { liveUnrealized, type Row } from '../live/liveReducer'

const EQUITY_HISTORY_POINTS = 5000
const WORKING: S<'OrderStatus'>[] = ['SUBMITTED', 'ACCEPTED', 'TRIGGERED', 'PARTIALLY_FILLED', 'PENDING_UPDATE', 'PENDING_CANCEL']

function Stat({ label, children, sub, testId }: { label: string; children: React.ReactNode; sub?: React.ReactNode; testId?: string }) {
  return (
    <div className="panel stat" data-testid={testId}>
      <div className="label">{label}</div>
      <div className="value">{children}</div>
      {sub && <div className="sub muted">{sub}</div>}
    </div>
  )
}

export function Dashboard() {
  const live = useLive()
  const { canTrade, isAdmin } = useAuth()
  const { accounts, accountId, setAccountId } = useAccounts()
  const balance = useLoad(() => (accountId ? call(api.GET('/api/accounts/{account_id}/balance', { params: { path: { account_id: accountId } } })) : Promise.resolve(undefined)), [accountId])
  const positions = useLoad(() => (accountId ? call(api.GET('/api/accounts/{account_id}/positions', { params: { path: { account_id: accountId } } })) : Promise.resolve([])), [accountId])
  const risk = useLoad(() => call(api.GET('/api/risk/state')), [], 5000)
  const limits = useLoad(() => call(api.GET('/api/risk/limits')), [])
  const working = useLoad(() => call(api.GET('/api/orders', { params: { query: { status: WORKING, limit: 50, account_id: accountId ?? undefined } } })), [accountId])
  useDebounced(() => void working.reload(), live.orders, 250)
  const [cancelErr, setCancelErr] = useState<unknown>(null)
  const filled = useLoad(() => call(api.GET('/api/orders', { params: { query: { status: ['FILLED'], limit: 20, account_id: accountId ?? undefined } } })), [accountId])
  useDebounced(() => { void positions.reload(); void risk.reload() }, live.positions)
  useDebounced(() => void risk.reload(), live.breaker)
  useDebounced(() => { void accounts.reload(); void filled.reload() }, live.fills, 500) // fees and realized P&L move on fills
  const [confirm, setConfirm] = useState<'kill' | 'release' | null>(null)
  const [reason, setReason] = useState('manual stop from the dashboard')

  // equity, cash and unrealized P&L from the stream (every bar); fees and realized P&L from the
  // REST account, which is reloaded after each fill
  const rest = accounts.data?.find((a) => a.id === accountId)
  const streamed = accountId ? live.accounts[accountId] : undefined
  const acct: Row | undefined = rest || streamed ? {
    ...(streamed ?? {}), ...(rest ?? {}),
    ...(streamed?.equity !== undefined ? { equity: streamed.equity, cash: streamed.cash, unrealized_pnl: streamed.unrealized_pnl } : {}),
  } : undefined
  const currency = String(acct?.base_currency ?? acct?.currency ?? balance.data?.base_currency ?? '')
  // the recorded history once per page open (and account), then the stream's points after it
  const history = useLoad(() => (accountId ? call(api.GET('/api/accounts/{account_id}/equity', { params: { path: { account_id: accountId }, query: { limit: EQUITY_HISTORY_POINTS } } })) : Promise.resolve([])), [accountId])
  const recorded = useMemo(() => historyPoints(history.data), [history.data])
  const livePoints = useMemo(() => (accountId ? live.equity[accountId] ?? [] : []), [live.equity, accountId])
  const points = useMemo(() => mergeEquity(recorded, livePoints), [recorded, livePoints])
  const equity = toNumber(acct?.equity as string)
  const starting = balance.data?.balances.find((b) => b.currency === balance.data?.base_currency)?.starting
  const totalPnl = equity !== null && starting !== undefined ? equity - Number(starting) : null
  const dayFirst = dayStartPoint(points)
  const dayStart = dayFirst?.value ?? null
  const todayPnl = equity !== null && dayStart !== null ? equity - dayStart : null

  const livePositions = Object.values(live.positions).filter((p) => p.account_id === accountId)
  const posRows: Row[] = live.status === 'open' && live.events > 0 ? livePositions : (positions.data ?? [])
  const posView = posRows.map((p) => ({ ...p, ...liveUnrealized(p, live.prices) }) as Row & ReturnType<typeof liveUnrealized>)

  const lim = limits.data?.limits ?? {}
  const dd = drawdown(points)
  const dl = dailyLossUsed(points)
  const exp = exposure(posView, equity)
  const ks = risk.data?.kill_switch as { engaged?: boolean; reason?: string | null; engaged_ns?: number | null; orders_cancelled?: number } | undefined
  const engaged = Boolean(ks?.engaged) // reloaded as soon as a breaker event arrives

  const fills: Row[] = live.fills.filter((f) => !accountId || f.account_id === accountId)
  const fillRows: Row[] = fills.length ? fills : (filled.data?.items ?? []).map((o) => ({
    ts_event: o.ts_last, instrument_id: o.instrument_id, side: o.side, quantity: o.filled_qty, price: o.avg_px, strategy_id: o.strategy_id, client_order_id: o.client_order_id,
  }))

  return (
    <>
      <div className="topbar">
        <h1>Dashboard</h1>
        {accounts.data && accounts.data.length > 1 && (
          <select value={accountId ?? ''} onChange={(e) => setAccountId(e.target.value)} aria-label="account">
            {accounts.data.map((a) => <option key={a.id} value={a.id}>{a.id}</option>)}
          </select>
        )}
        <span className="muted">{accountId ? `account ${accountId}` : ''} {acct?.live ? <span className="badge warn">LIVE</span> : <span className="badge">paper</span>}</span>
        <span className="spacer" />
        <span className={`badge ${engaged ? 'neg' : 'pos'}`} data-testid="breaker-state">{engaged ? 'TRADING HALTED' : 'trading enabled'}</span>
        {engaged
          ? <button disabled={!isAdmin} title={isAdmin ? '' : 'only an admin can release the kill switch'} onClick={() => setConfirm('release')}>Release kill switch</button>
          : <button className="danger" disabled={!canTrade} onClick={() => setConfirm('kill')}>Kill switch</button>}
      </div>
      <ErrorBanner error={accounts.error ?? balance.error ?? risk.error} />
      {engaged && <div className="alert" data-testid="halt-reason">Kill switch engaged: {ks?.reason ?? String(live.breaker?.reason ?? '')}{ks?.engaged_ns ? ` at ${fmtTime(ks.engaged_ns)}` : ''}{ks?.orders_cancelled ? ` — ${ks.orders_cancelled} working orders cancelled` : ''}</div>}

      <div className="grid g4" style={{ marginBottom: 12 }}>
        <Stat label="Equity" testId="equity" sub={<>cash <Num v={acct?.cash as string} /></>}><Num v={acct?.equity as string} />{' '}<span className="muted" style={{ fontSize: 12 }}>{currency}</span></Stat>
        <Stat label="P&L today" testId="pnl-today" sub={dayStart !== null ? `since ${fmtTime(dayFirst?.time ?? 0).slice(11, 16)} UTC, the day's first point` : 'waiting for the first update'}><Num v={todayPnl} pnl /></Stat>
        <Stat label="P&L total" testId="pnl-total" sub={starting !== undefined ? <>from <Num v={starting} /> start</> : undefined}><Num v={totalPnl} pnl /></Stat>
        <Stat label="Unrealized / realized" sub={<>fees <Num v={acct?.fees as string} /></>}><Num v={acct?.unrealized_pnl as string} pnl /> <span className="muted">/</span> <Num v={acct?.realized_pnl as string} pnl /></Stat>
      </div>

      <div className="grid g21" style={{ marginBottom: 12 }}>
        <div className="panel">
          <h2>Equity curve <span className="muted" style={{ textTransform: 'none' }} data-testid="equity-points">· {points.length} points: {recorded.length} recorded, {livePoints.length} live since this page opened</span></h2>
          <ErrorBanner error={history.error} />
          <EquityChart points={points} />
        </div>
        <div className="panel">
          <h2>Risk</h2>
          <div className="grid" style={{ gap: 14 }}>
            <Gauge label="Daily loss used" used={dl} limit={lim.daily_loss_limit as number} />
            <Gauge label="Drawdown vs limit" used={dd} limit={lim.max_drawdown as number} />
            <Gauge label="Open risk (positions without stops count in full)" used={exp} limit={lim.max_portfolio_risk as number} />
            <dl className="kv">
              <dt>Circuit breakers</dt>
              <dd>{(risk.data?.breakers as Row[] | undefined)?.map((b) => <span key={String(b.name)} className={`badge ${b.tripped ? 'neg' : 'pos'}`} style={{ marginRight: 4 }}>{String(b.name)}: {b.tripped ? 'tripped' : 'ok'}</span>) ?? '—'}</dd>
              <dt>Open orders</dt><dd className="num" style={{ textAlign: 'left' }}>{risk.data?.open_orders ?? '—'}</dd>
              <dt>Orders denied</dt><dd className="num" style={{ textAlign: 'left' }}>{risk.data?.denials ?? '—'}</dd>
              <dt>Positions</dt><dd className="num" style={{ textAlign: 'left' }}>{posView.length} / {String(lim.max_positions ?? '—')}</dd>
            </dl>
          </div>
        </div>
      </div>

      <div className="grid g2">
        <div className="panel">
          <h2>Open positions</h2>
          <div className="scroll">
            <table data-testid="positions">
              <thead><tr><th>Instrument</th><th className="num">Qty</th><th className="num">Avg price</th><th className="num">Mark</th><th className="num">Unrealized</th><th className="num">Realized</th></tr></thead>
              <tbody>
                {posView.map((p) => (
                  <tr key={`${String(p.account_id)}|${String(p.instrument_id)}`}>
                    <td>{String(p.instrument_id)}</td>
                    <td className="num"><Num v={p.quantity as string} qty /></td>
                    <td className="num"><Num v={p.avg_price as string} /></td>
                    <td className="num"><Num v={p.mark} /></td>
                    <td className="num"><Num v={p.upnl} pnl /></td>
                    <td className="num"><Num v={p.realized_pnl as string} pnl /></td>
                  </tr>
                ))}
                {!posView.length && <tr><td colSpan={6} className="empty">No open positions</td></tr>}
              </tbody>
            </table>
          </div>
        </div>
        <div className="panel">
          <h2>Recent fills</h2>
          <div className="scroll">
            <table data-testid="fills">
              <thead><tr><th>Time (UTC)</th><th>Instrument</th><th>Side</th><th className="num">Qty</th><th className="num">Price</th><th>Strategy</th></tr></thead>
              <tbody>
                {fillRows.slice(0, 50).map((f, i) => (
                  <tr key={String(f.trade_id ?? f.client_order_id ?? i)}>
                    <td className="num" style={{ textAlign: 'left' }}>{fmtTime(f.ts_event as number)}</td>
                    <td>{String(f.instrument_id)}</td>
                    <td className={f.side === 'BUY' ? 'pos' : 'neg'}>{String(f.side)}</td>
                    <td className="num"><Num v={f.quantity as string} qty /></td>
                    <td className="num"><Num v={f.price as string} /></td>
                    <td className="muted">{String(f.strategy_id ?? '')}</td>
                  </tr>
                ))}
                {!fillRows.length && <tr><td colSpan={6} className="empty">No fills yet</td></tr>}
              </tbody>
            </table>
          </div>
        </div>
      </div>

      <div className="panel" style={{ marginTop: 12 }}>
        <h2>Working orders</h2>
        <ErrorBanner error={working.error ?? cancelErr} />
        <table data-testid="working-orders">
          <thead><tr><th>Order</th><th>Strategy</th><th>Instrument</th><th>Side</th><th>Type</th><th className="num">Qty</th><th className="num">Filled</th><th className="num">Price</th><th>Status</th><th /></tr></thead>
          <tbody>
            {(working.data?.items ?? []).map((o) => (
              <tr key={o.client_order_id}>
                <td className="muted">{o.client_order_id}</td><td>{o.strategy_id}</td><td>{o.instrument_id}</td>
                <td className={o.side === 'BUY' ? 'pos' : 'neg'}>{o.side}</td><td>{o.order_type}</td>
                <td className="num"><Num v={o.quantity} qty /></td><td className="num"><Num v={o.filled_qty} qty /></td>
                <td className="num"><Num v={o.price ?? o.trigger_price} /></td>
                <td><span className="badge warn">{o.status}</span></td>
                <td>{canTrade && <button className="small" onClick={async () => {
                  setCancelErr(null)
                  try { await call(api.DELETE('/api/orders/{client_order_id}', { params: { path: { client_order_id: o.client_order_id } } })); await working.reload() } catch (e) { setCancelErr(e) }
                }}>Cancel</button>}</td>
              </tr>
            ))}
            {!working.data?.items.length && <tr><td colSpan={10} className="empty">No working orders</td></tr>}
          </tbody>
        </table>
      </div>

      {confirm === 'kill' && (
        <ConfirmDialog title="Engage the kill switch?" confirmLabel="Engage kill switch" typeToConfirm="KILL" danger
          onClose={() => setConfirm(null)}
          onConfirm={async () => { await call(api.POST('/api/risk/kill-switch', { body: { reason } })); await risk.reload() }}>
          <p>New orders are refused and every working order is cancelled. Only an admin can release it.</p>
          <label className="field">Reason<input aria-label="reason" value={reason} onChange={(e) => setReason(e.target.value)} /></label>
        </ConfirmDialog>
      )}
      {confirm === 'release' && (
        <ConfirmDialog title="Release the kill switch?" confirmLabel="Release" onClose={() => setConfirm(null)}
          onConfirm={async () => { await call(api.DELETE('/api/risk/kill-switch')); await risk.reload() }}>
          <p>Strategies and manual orders may trade again.</p>
        </ConfirmDialog>
      )}
    </>
  )
}
