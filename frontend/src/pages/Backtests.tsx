import { useState } from 'react'
import { Link, useNavigate, useParams } from 'react-router-dom'
import { api, call, type S } from '../api/client'
import { useAuth } from '../auth'
import { EquityChart } from '../components/charts'
import { ErrorBanner } from '../components/ErrorBanner'
import { Num } from '../components/Num'
import { SchemaForm } from '../components/SchemaForm'
import { fmtPct, fmtTime } from '../lib/format'
import type { JsonSchema } from '../lib/jsonSchemaForm'
import { useLoad } from '../lib/useLoad'

interface Setup { symbol: string; bars: string; seed: string; start_price: string; timeframe: string; starting_cash: string; fee_rate: string; slippage_bps: string; source: 'random_walk' | 'file'; path: string }
const SETUP: Setup = { symbol: 'BTC/USDT', bars: '2000', seed: '7', start_price: '60000', timeframe: '1m', starting_cash: '100000', fee_rate: '0.001', slippage_bps: '0', source: 'random_walk', path: '' }

/** The BacktestSpec body from the form. */
export function backtestSpec(strategy: string, params: Record<string, unknown>, s: Setup): S<'BacktestSpec'> {
  const data: S<'BacktestSpec'>['data'] = s.source === 'file'
    ? { kind: 'file', path: s.path.trim(), timeframe: s.timeframe || null }
    : { kind: 'random_walk', bars: Number(s.bars), seed: Number(s.seed), start_price: Number(s.start_price), timeframe: s.timeframe }
  return { strategy, params, symbol: s.symbol, data, starting_cash: s.starting_cash, fee_rate: s.fee_rate, slippage_bps: s.slippage_bps }
}

const duration = (b: S<'BacktestStatus'>) => {
  if (!b.started_ns) return ''
  const end = b.finished_ns ?? Date.now() * 1e6
  return `${((end - b.started_ns) / 1e9).toFixed(2)} s`
}

function Report({ runId }: { runId: string }) {
  const status = useLoad(() => call(api.GET('/api/backtests/{run_id}', { params: { path: { run_id: runId } } })), [runId], 1000)
  const done = status.data?.status === 'done'
  const result = useLoad(() => (done ? call(api.GET('/api/backtests/{run_id}/result', { params: { path: { run_id: runId } } })) : Promise.resolve(undefined)), [runId, done])
  const r = result.data?.result as Record<string, unknown> | undefined
  const stats = (r?.stats ?? {}) as Record<string, number | null>
  const curve = ((r?.equity_curve ?? []) as [number, number][]).map(([t, v]) => ({ time: Math.floor(t / 1e9), value: v }))
  const trades = (r?.trades ?? []) as Record<string, string | number>[]
  const req = status.data?.request as Record<string, unknown> | undefined
  return (
    <div data-testid="backtest-report">
      <div className="topbar"><h1>Backtest report <span className="muted">{runId.slice(0, 12)}</span></h1><span className="spacer" /><Link to="/backtests">← all backtests</Link></div>
      <ErrorBanner error={status.error ?? result.error ?? status.data?.error} />
      {status.data && !done && <div className="panel">Status: <span className="badge warn">{status.data.status}</span> {duration(status.data)}</div>}
      {r && (
        <>
          <p className="muted">{String(req?.strategy ?? '')} on {String(req?.symbol ?? '')} · {String(r.bars)} bars · {String(r.orders)} orders · {String(r.fills)} fills · ran in {String(r.elapsed_s)} s</p>
          <div className="grid g4" style={{ marginBottom: 12 }}>
            {([
              ['Net P&L', <Num key="n" v={stats.net_pnl} pnl />], ['Total return', <span key="t" className={`num ${Number(stats.total_return) >= 0 ? 'pos' : 'neg'}`}>{fmtPct(stats.total_return, 2, true)}</span>],
              ['Max drawdown', <span key="d" className="num neg">{fmtPct(stats.max_drawdown)}</span>], ['Sharpe', <Num key="s" v={stats.sharpe} />],
              ['Final equity', <Num key="f" v={r.final_equity as string} />], ['Trades', <Num key="c" v={stats.trades} dp={0} />],
              ['Win rate', <span key="w" className="num">{fmtPct(stats.win_rate)}</span>], ['Profit factor', <Num key="p" v={stats.profit_factor} />],
              ['Sortino', <Num key="so" v={stats.sortino} />], ['Calmar', <Num key="ca" v={stats.calmar} />], ['CAGR', <span key="cg" className="num">{fmtPct(stats.cagr)}</span>], ['Fees', <Num key="fe" v={stats.fees} />],
            ] as const).map(([label, v]) => <div key={label} className="panel stat"><div className="label">{label}</div><div className="value" style={{ fontSize: 17 }}>{v}</div></div>)}
          </div>
          <div className="panel" style={{ marginBottom: 12 }}><h2>Equity</h2><EquityChart points={curve} /></div>
          <div className="panel">
            <h2>Trades (last {trades.length} of {String(r.trade_count)})</h2>
            <div className="scroll">
              <table data-testid="backtest-trades">
                <thead><tr><th>Side</th><th className="num">Qty</th><th>Entry (UTC)</th><th className="num">Entry px</th><th>Exit (UTC)</th><th className="num">Exit px</th><th className="num">P&L</th><th className="num">Fees</th></tr></thead>
                <tbody>
                  {trades.map((t, i) => (
                    <tr key={i}><td className={t.side === 'BUY' || t.side === 'LONG' ? 'pos' : 'neg'}>{String(t.side)}</td><td className="num"><Num v={t.quantity} qty /></td><td className="num" style={{ textAlign: 'left' }}>{fmtTime(t.entry_ts_ns)}</td><td className="num"><Num v={t.entry_price} /></td><td className="num" style={{ textAlign: 'left' }}>{fmtTime(t.exit_ts_ns)}</td><td className="num"><Num v={t.exit_price} /></td><td className="num"><Num v={t.pnl} pnl /></td><td className="num"><Num v={t.fees} /></td></tr>
                  ))}
                  {!trades.length && <tr><td colSpan={8} className="empty">No closed trades</td></tr>}
                </tbody>
              </table>
            </div>
          </div>
        </>
      )}
    </div>
  )
}

export function Backtests() {
  const { runId } = useParams()
  const nav = useNavigate()
  const { canTrade } = useAuth()
  const types = useLoad(() => call(api.GET('/api/strategies/types')), [])
  const runs = useLoad(() => call(api.GET('/api/backtests', { params: { query: { limit: 50 } } })), [], 1500)
  const [strategy, setStrategy] = useState('')
  const [setup, setSetup] = useState<Setup>(SETUP)
  const [error, setError] = useState<unknown>(null)
  if (runId) return <Report runId={runId} />
  const name = strategy || types.data?.[0]?.name || ''
  const spec = types.data?.find((t) => t.name === name)
  const input = (k: keyof Setup, label: string) => (
    <label className="field">{label}<input name={`bt-${k}`} value={setup[k]} onChange={(e) => setSetup({ ...setup, [k]: e.target.value })} /></label>
  )
  return (
    <>
      <div className="topbar"><h1>Backtests</h1></div>
      {canTrade && (
        <div className="panel" style={{ marginBottom: 12 }} data-testid="backtest-form">
          <h2>New backtest</h2>
          <div className="form" style={{ marginBottom: 10 }}>
            <label className="field">Strategy
              <select name="bt-strategy" value={name} onChange={(e) => setStrategy(e.target.value)}>{types.data?.map((t) => <option key={t.name}>{t.name}</option>)}</select>
            </label>
            {input('symbol', 'Symbol')}
            <label className="field">Market data
              <select name="bt-source" value={setup.source} onChange={(e) => setSetup({ ...setup, source: e.target.value as Setup['source'] })}>
                <option value="random_walk">simulated (seeded random walk)</option><option value="file">bar file on the server</option>
              </select>
            </label>
            {setup.source === 'random_walk' ? <>{input('bars', 'Bars')}{input('seed', 'Seed')}{input('start_price', 'Start price')}</> : input('path', 'File (relative to a data folder)')}
            {input('timeframe', 'Timeframe')}
            {input('starting_cash', 'Starting cash')}
            {input('fee_rate', 'Fee rate')}
            {input('slippage_bps', 'Slippage (bps)')}
          </div>
          {spec && (
            <SchemaForm key={spec.name} schema={spec.params_schema as JsonSchema} submitLabel="Run backtest"
              onSubmit={async (params) => {
                setError(null)
                try {
                  const sub = await call(api.POST('/api/backtests', { body: backtestSpec(name, params, setup) }))
                  await runs.reload()
                  nav(`/backtests/${sub.id}`)
                } catch (e) { setError(e) }
              }} />
          )}
          <ErrorBanner error={error ?? types.error} />
        </div>
      )}
      <div className="panel">
        <h2>Runs</h2>
        <ErrorBanner error={runs.error} />
        <table data-testid="backtests">
          <thead><tr><th>Submitted (UTC)</th><th>Id</th><th>Strategy</th><th>Symbol</th><th>Status</th><th className="num">Duration</th><th>Backend</th><th /></tr></thead>
          <tbody>
            {(runs.data ?? []).map((b) => {
              const req = b.request as Record<string, unknown>
              return (
                <tr key={b.id}>
                  <td className="num" style={{ textAlign: 'left' }}>{fmtTime(b.created_ns)}</td>
                  <td className="muted">{b.id.slice(0, 12)}</td>
                  <td>{String(req.strategy ?? '')}</td><td>{String(req.symbol ?? '')}</td>
                  <td><span className={`badge ${b.status === 'done' ? 'pos' : b.status === 'failed' ? 'neg' : 'warn'}`}>{b.status}</span>{b.error && <span className="neg" style={{ marginLeft: 6 }}>{b.error}</span>}</td>
                  <td className="num">{duration(b)}</td>
                  <td className="muted">{b.backend ?? ''}</td>
                  <td>{b.status === 'done' && <Link to={`/backtests/${b.id}`}>Open report</Link>}</td>
                </tr>
              )
            })}
            {!runs.data?.length && <tr><td colSpan={8} className="empty">{runs.loading ? 'Loading…' : 'No backtests yet'}</td></tr>}
          </tbody>
        </table>
      </div>
    </>
  )
}
