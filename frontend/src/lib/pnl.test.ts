import { describe, expect, it } from 'vitest'
import { dailyLossUsed, dayStartEquity, drawdown, exposure, pnlFromFills, utcDayStart } from './pnl'

const DAY = 86400
const t0 = 20_000 * DAY // a UTC midnight

describe('equity figures', () => {
  it('finds the first equity of the current UTC day', () => {
    const pts = [{ time: t0 - 60, value: 90 }, { time: t0 + 5, value: 100 }, { time: t0 + 65, value: 97 }]
    expect(utcDayStart(t0 + 65)).toBe(t0)
    expect(dayStartEquity(pts)).toBe(100)
    expect(dailyLossUsed(pts)).toBeCloseTo(0.03, 12)
  })
  it('counts no daily loss on a day that is up', () => {
    expect(dailyLossUsed([{ time: t0, value: 100 }, { time: t0 + 1, value: 105 }])).toBe(0)
  })
  it('measures drawdown from the peak to the latest equity', () => {
    expect(drawdown([{ time: 1, value: 100 }, { time: 2, value: 120 }, { time: 3, value: 90 }])).toBeCloseTo(0.25, 12)
    expect(drawdown([])).toBeNull()
  })
  it('measures gross exposure at the marks against equity', () => {
    expect(exposure([{ quantity: '0.5', mark: 60000 }, { quantity: '-1', mark: null, avg_price: '3000' }], 100000)).toBeCloseTo(0.33, 12)
    expect(exposure([], null)).toBeNull()
  })
})

describe('a strategy\'s P&L from its fills', () => {
  it('realizes the difference to the average cost when a position is reduced', () => {
    const r = pnlFromFills([
      { side: 'BUY', quantity: '1', price: '100', commission: '0.1' },
      { side: 'BUY', quantity: '1', price: '110', commission: '0.1' },
      { side: 'SELL', quantity: '1', price: '120', commission: '0.1' },
    ], 100)
    expect(r.realized).toBeCloseTo(15, 9)
    expect(r.position).toBe(1)
    expect(r.unrealized).toBeCloseTo(-5, 9)
    expect(r.fees).toBeCloseTo(0.3, 9)
    expect(r.total).toBeCloseTo(9.7, 9)
  })
  it('closes the old side first when a fill flips the position', () => {
    const r = pnlFromFills([
      { side: 'SELL', quantity: '2', price: '50' },
      { side: 'BUY', quantity: '3', price: '40' },
    ], 45)
    expect(r.realized).toBeCloseTo(20, 9)
    expect(r.position).toBe(1)
    expect(r.unrealized).toBeCloseTo(5, 9)
  })
  it('is zero without fills', () => {
    expect(pnlFromFills([], 10)).toEqual({ realized: 0, unrealized: 0, fees: 0, total: 0, position: 0, trades: 0 })
  })
})
