import { describe, expect, it } from 'vitest'
import { historyPoints, mergeEquity } from './equityHistory'

const NS = 1_000_000_000

describe('the equity curve of history and live points', () => {
  it('turns recorded rows into points in seconds and skips rows without a number', () => {
    expect(historyPoints([
      { ts: 1_000 * NS, equity: '100000', cash: '100000', unrealized_pnl: '0' },
      { ts: 1_060 * NS + 5, equity: '100012.5' },
      { ts: 1_120 * NS, equity: 'oops' },
    ])).toEqual([{ time: 1_000, value: 100000 }, { time: 1_060, value: 100012.5 }])
    expect(historyPoints(undefined)).toEqual([])
  })
  it('puts the history before the live points that follow it', () => {
    const merged = mergeEquity([{ time: 10, value: 1 }, { time: 20, value: 2 }], [{ time: 30, value: 3 }, { time: 40, value: 4 }])
    expect(merged).toEqual([{ time: 10, value: 1 }, { time: 20, value: 2 }, { time: 30, value: 3 }, { time: 40, value: 4 }])
  })
  it('keeps one point per second, the live one where both have it', () => {
    const merged = mergeEquity([{ time: 10, value: 1 }, { time: 20, value: 2 }], [{ time: 20, value: 2.5 }, { time: 30, value: 3 }])
    expect(merged).toEqual([{ time: 10, value: 1 }, { time: 20, value: 2.5 }, { time: 30, value: 3 }])
  })
  it('sorts a history that arrives after live points into time order', () => {
    const live = [{ time: 50, value: 5 }]
    const history = [{ time: 40, value: 4 }, { time: 10, value: 1 }, { time: 50, value: 4.9 }, { time: 60, value: 6 }]
    expect(mergeEquity(history, live)).toEqual([{ time: 10, value: 1 }, { time: 40, value: 4 }, { time: 50, value: 5 }, { time: 60, value: 6 }])
  })
  it('works with either side empty and drops non-finite values', () => {
    expect(mergeEquity([], [{ time: 1, value: 1 }])).toEqual([{ time: 1, value: 1 }])
    expect(mergeEquity([{ time: 1, value: 1 }, { time: 2, value: NaN }], [])).toEqual([{ time: 1, value: 1 }])
    expect(mergeEquity([], [])).toEqual([])
  })
})
