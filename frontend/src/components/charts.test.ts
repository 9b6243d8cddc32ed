import { describe, expect, it } from 'vitest'
import { dedupeByTime, markersFor, type Candle } from './charts'

const c = (time: number): Candle => ({ time, open: 1, high: 2, low: 0.5, close: 1.5 })

describe('chart data', () => {
  it('sorts by time and keeps the last point of each second', () => {
    expect(dedupeByTime([{ time: 3, value: 1 }, { time: 1, value: 2 }, { time: 3, value: 9 }])).toEqual([{ time: 1, value: 2 }, { time: 3, value: 9 }])
  })
  it('puts buys below and sells above the candle each trade happened in', () => {
    const candles = [c(60), c(120), c(180)]
    const m = markersFor([{ time: 150, side: 'SELL', price: 1, qty: '0.1' }, { time: 61, side: 'BUY', price: 1 }], candles)
    expect(m.map((x) => [x.time, x.position, x.text])).toEqual([[60, 'belowBar', 'B'], [120, 'aboveBar', 'S 0.1']])
  })
  it('drops trades from before the first candle and has none without candles', () => {
    expect(markersFor([{ time: 10, side: 'BUY', price: 1 }], [c(60)])).toEqual([])
    expect(markersFor([{ time: 70, side: 'BUY', price: 1 }], [])).toEqual([])
  })
})
