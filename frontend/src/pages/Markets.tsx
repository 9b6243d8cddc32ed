import { useMemo, useState } from 'react'
import { api, call, type S } from '../api/client'
import { CandleChart, type Candle, type TradeMark } from '../components/charts'
import { ErrorBanner } from '../components/ErrorBanner'
import { Num } from '../components/Num'
import { fmtNum, fmtQty, fmtTime } from '../lib/format'
import { useDebounced, useLoad } from '../lib/useLoad'
import { useLive } from '../live/LiveProvider'

const toCandle = (b: { ts_event: number; open: unknown; high: unknown; low: unknown; close: unknown; volume?: unknown }): Candle => ({
  time: Math.floor(Number(b.ts_event) / 1e9), open: Number(b.open), high: Number(b.high), low: Number(b.low), close: Number(b.close), volume: Number(b.volume ?? 0),
})

function Depth({ symbol }: { symbol: string }) {
  const d = useLoad(() => call(api.GET('/api/depth/{symbol}', { params: { path: { symbol }, query: { levels: 15 } } })), [symbol], 2000)
  const book = d.data
  const max = Math.max(1, ...(book?.bids ?? []).map((l) => l.size), ...(book?.asks ?? []).map((l) => l.size))
  const side = (levels: S<'DepthLevel'>[], color: string, cls: string) => levels.map((l) => (
    <tr key={`${cls}${l.price}`} className="depth-row">
      <td className={`num ${cls}`} style={{ position: 'relative' }}><div className="bg" style={{ width: `${(l.size / max) * 100}%`, background: color }} />{fmtNum(l.price, 2)}</td>
      <td className="num">{fmtQty(l.size)}</td>
    </tr>
  ))
  return (
    <div className="panel" data-testid="depth">
      <h2>Order book</h2>
      <ErrorBanner error={d.error} />
      {book && !book.available && <div className="empty">No L2 book for {symbol}: the feed sends bars only.<br />Mark price <Num v={book.mark_price} /></div>}
      {book?.available && (
        <table>
          <thead><tr><th className="num">Price</th><th className="num">Size</th></tr></thead>
          <tbody>
            {side([...book.asks].reverse(), 'var(--neg)', 'neg')}
            <tr><td colSpan={2} className="num muted" style={{ textAlign: 'center' }}>mark {fmtNum(book.mark_price, 2)}</td></tr>
            {side(book.bids, 'var(--pos)', 'pos')}
          </tbody>
        </table>
      )}
    </div>
  )
}

export function Markets() {
  const live = useLive()
  const instruments = useLoad(() => call(api.GET('/api/instruments')), [])
  const [picked, setPicked] = useState('')
  const [strategy, setStrategy] = useState('')
  const symbol = picked || instruments.data?.[0] || ''
  const hist = useLoad(() => (symbol ? call(api.GET('/api/historical/{symbol}', { params: { path: { symbol }, query: { limit: 500 } } })) : Promise.resolve(undefined)), [symbol])
  const orders = useLoad(() => (symbol ? call(api.GET('/api/orders', { params: { query: { instrument_id: symbol, limit: 500 } } })) : Promise.resolve(undefined)), [symbol])
  useDebounced(() => void orders.reload(), live.fills, 400)
  const [tail, setTail] = useState<Record<number, Candle>>({})
  const lastBar = live.prices[symbol]
  const lastKey = lastBar ? Number(lastBar.ts_event) : 0
  useDebounced(() => { if (lastBar) setTail((t) => ({ ...t, [lastKey]: toCandle(lastBar as Parameters<typeof toCandle>[0]) })) }, lastKey, 0)
  const candles = useMemo(() => {
    const base = (hist.data?.bars ?? []).map(toCandle)
    const last = base.length ? base[base.length - 1].time : 0
    return [...base, ...Object.values(tail).filter((c) => c.time > last)]
  }, [hist.data, tail])
  const filled = (orders.data?.items ?? []).filter((o) => Number(o.filled_qty) > 0 && (!strategy || o.strategy_id === strategy))
  const trades: TradeMark[] = filled.map((o) => ({ time: Math.floor(o.ts_last / 1e9), side: o.side, price: Number(o.avg_px), qty: fmtQty(o.filled_qty) }))
  const strategies = [...new Set((orders.data?.items ?? []).map((o) => o.strategy_id))]
  const last = candles[candles.length - 1]
  const prev = candles[candles.length - 2]
  return (
    <>
      <div className="topbar">
        <h1>Markets</h1>
        <select aria-label="instrument" value={symbol} onChange={(e) => { setPicked(e.target.value); setTail({}) }}>{instruments.data?.map((i) => <option key={i}>{i}</option>)}</select>
        <select aria-label="trades of strategy" value={strategy} onChange={(e) => setStrategy(e.target.value)}>
          <option value="">trades of all strategies</option>{strategies.map((s) => <option key={s}>{s}</option>)}
        </select>
        <span className="spacer" />
        {last && <span className="num" style={{ fontSize: 16 }}>{fmtNum(last.close, 2)} {prev && <Num v={last.close - prev.close} pnl />}</span>}
        <span className="muted">{hist.data?.timeframe} bars · {candles.length}</span>
      </div>
      <ErrorBanner error={instruments.error ?? hist.error ?? orders.error} />
      <div className="grid" style={{ gridTemplateColumns: '1fr 260px', marginBottom: 12 }}>
        <div className="panel"><CandleChart candles={candles} trades={trades} tall /></div>
        {symbol ? <Depth symbol={symbol} /> : <div className="panel" />}
      </div>
      <div className="panel">
        <h2>Trades on the chart ({trades.length})</h2>
        <div className="scroll" style={{ maxHeight: 220 }}>
          <table>
            <thead><tr><th>Time (UTC)</th><th>Strategy</th><th>Side</th><th className="num">Qty</th><th className="num">Avg price</th><th>Order</th></tr></thead>
            <tbody>
              {filled.slice(0, 100).map((o) => (
                <tr key={o.client_order_id}><td className="num" style={{ textAlign: 'left' }}>{fmtTime(o.ts_last)}</td><td>{o.strategy_id}</td><td className={o.side === 'BUY' ? 'pos' : 'neg'}>{o.side}</td><td className="num">{fmtQty(o.filled_qty)}</td><td className="num"><Num v={o.avg_px} /></td><td className="muted">{o.client_order_id}</td></tr>
              ))}
              {!filled.length && <tr><td colSpan={6} className="empty">No trades on {symbol} yet</td></tr>}
            </tbody>
          </table>
        </div>
      </div>
    </>
  )
}
