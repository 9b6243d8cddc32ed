import { useEffect, useMemo, useRef } from 'react'
import {
  AreaSeries, CandlestickSeries, ColorType, createChart, createSeriesMarkers, HistogramSeries,
  type IChartApi, type ISeriesApi, type ISeriesMarkersPluginApi, type SeriesMarker, type Time, type UTCTimestamp,
} from 'lightweight-charts'

export interface Candle { time: number; open: number; high: number; low: number; close: number; volume?: number }
export interface TradeMark { time: number; side: 'BUY' | 'SELL'; price: number; qty?: string; label?: string }
export interface Point { time: number; value: number }

const THEME = {
  layout: { background: { type: ColorType.Solid, color: '#161b22' }, textColor: '#8591a3', fontSize: 11 },
  grid: { vertLines: { color: '#202634' }, horzLines: { color: '#202634' } },
  rightPriceScale: { borderColor: '#2a3140' },
  timeScale: { borderColor: '#2a3140', timeVisible: true, secondsVisible: false },
  crosshair: { mode: 0 },
  autoSize: true,
} as const

/** Sorted by time with one point per second, as the chart library requires. */
export function dedupeByTime<T extends { time: number }>(rows: T[]): T[] {
  const sorted = [...rows].sort((a, b) => a.time - b.time)
  const out: T[] = []
  for (const r of sorted) {
    if (out.length && out[out.length - 1].time === r.time) out[out.length - 1] = r
    else out.push(r)
  }
  return out
}

/** Trade markers, each snapped to the candle it happened in (markers must sit on a bar time). */
export function markersFor(trades: TradeMark[], candles: Candle[]): SeriesMarker<Time>[] {
  if (!candles.length) return []
  const times = candles.map((c) => c.time)
  const snap = (t: number) => {
    let lo = 0, hi = times.length - 1
    if (t <= times[0]) return times[0]
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (times[mid] <= t) lo = mid; else hi = mid - 1 }
    return times[lo]
  }
  return [...trades]
    .filter((t) => t.time >= times[0] && t.time <= times[times.length - 1] + 86400)
    .sort((a, b) => a.time - b.time)
    .map((t) => ({
      time: snap(t.time) as UTCTimestamp,
      position: t.side === 'BUY' ? 'belowBar' : 'aboveBar',
      shape: t.side === 'BUY' ? 'arrowUp' : 'arrowDown',
      color: t.side === 'BUY' ? '#26a69a' : '#ef5350',
      text: t.label ?? `${t.side === 'BUY' ? 'B' : 'S'}${t.qty ? ' ' + t.qty : ''}`,
    }))
}

/** Candles with volume and the strategy's trades marked on them. */
export function CandleChart({ candles, trades, tall }: { candles: Candle[]; trades: TradeMark[]; tall?: boolean }) {
  const el = useRef<HTMLDivElement>(null)
  const chart = useRef<IChartApi | null>(null)
  const series = useRef<ISeriesApi<'Candlestick'> | null>(null)
  const volume = useRef<ISeriesApi<'Histogram'> | null>(null)
  const marks = useRef<ISeriesMarkersPluginApi<Time> | null>(null)
  const fitted = useRef(false)
  useEffect(() => {
    if (!el.current) return
    const c = createChart(el.current, { ...THEME, timeScale: { ...THEME.timeScale, barSpacing: 7, rightOffset: 4 } })
    series.current = c.addSeries(CandlestickSeries, { upColor: '#26a69a', downColor: '#ef5350', borderVisible: false, wickUpColor: '#26a69a', wickDownColor: '#ef5350' })
    volume.current = c.addSeries(HistogramSeries, { priceScaleId: 'vol', priceFormat: { type: 'volume' }, color: '#2a3140' })
    c.priceScale('vol').applyOptions({ scaleMargins: { top: 0.82, bottom: 0 } })
    c.priceScale('right').applyOptions({ scaleMargins: { top: 0.08, bottom: 0.22 } })
    marks.current = createSeriesMarkers(series.current, [])
    chart.current = c
    return () => { c.remove(); chart.current = null; fitted.current = false }
  }, [])
  useEffect(() => {
    const data = dedupeByTime(candles)
    series.current?.setData(data.map((c) => ({ ...c, time: c.time as UTCTimestamp })))
    volume.current?.setData(data.filter((c) => c.volume !== undefined).map((c) => ({
      time: c.time as UTCTimestamp, value: c.volume ?? 0, color: c.close >= c.open ? '#1d4d48' : '#5c2a2a',
    })))
    marks.current?.setMarkers(markersFor(trades, data))
    if (data.length && !fitted.current) {
      fitted.current = true
      chart.current?.timeScale().scrollToRealTime() // the latest bars at the fixed bar spacing
    }
  }, [candles, trades])
  return <div ref={el} className={`chart ${tall ? 'tall' : ''}`} data-testid="candle-chart" />
}

/** An equity curve that follows new points as they arrive. */
export function EquityChart({ points, height }: { points: Point[]; height?: number }) {
  const el = useRef<HTMLDivElement>(null)
  const series = useRef<ISeriesApi<'Area'> | null>(null)
  const chart = useRef<IChartApi | null>(null)
  useEffect(() => {
    if (!el.current) return
    const c = createChart(el.current, { ...THEME, timeScale: { ...THEME.timeScale, secondsVisible: true } })
    series.current = c.addSeries(AreaSeries, { lineColor: '#4c8dff', topColor: 'rgba(76,141,255,.35)', bottomColor: 'rgba(76,141,255,0)', lineWidth: 2 })
    chart.current = c
    return () => { c.remove(); chart.current = null }
  }, [])
  const data = useMemo(() => dedupeByTime(points), [points])
  useEffect(() => {
    series.current?.setData(data.map((p) => ({ time: p.time as UTCTimestamp, value: p.value })))
    chart.current?.timeScale().fitContent() // the whole curve: a session or a backtest
  }, [data])
  // what is drawn, for tests and tools that cannot read the canvas
  return <div ref={el} className="chart" style={height ? { height } : undefined} data-testid="equity-chart"
    data-points={data.length} data-first-time={data[0]?.time ?? ''} data-last-time={data[data.length - 1]?.time ?? ''} />
}
