import { describe, expect, it } from 'vitest'
import { fmtMoney, fmtNum, fmtPct, fmtQty, fmtSigned, fmtTime, pnlClass, roundDecimalString, toUnixSeconds } from './format'

describe('number formatting', () => {
  it('groups thousands and pads to the decimals asked for', () => {
    expect(fmtNum('1234567.5', 2)).toBe('1,234,567.50')
    expect(fmtNum(0, 2)).toBe('0.00')
  })
  it('rounds decimal strings half away from zero without float error', () => {
    expect(roundDecimalString('1.005', 2)).toBe('1.01')
    expect(roundDecimalString('-2.675', 2)).toBe('-2.68')
    expect(roundDecimalString('9.999', 2)).toBe('10.00')
    expect(roundDecimalString('99999999999999999.995', 2)).toBe('100000000000000000.00')
  })
  it('does not print negative zero', () => {
    expect(fmtNum('-0.001', 2)).toBe('0.00')
  })
  it('shows a dash for missing or non-numeric values', () => {
    expect(fmtNum(null)).toBe('—')
    expect(fmtNum('abc')).toBe('—')
    expect(fmtMoney(undefined, 'USDT')).toBe('—')
  })
  it('adds the currency code to money', () => {
    expect(fmtMoney('100000', 'USDT')).toBe('100,000.00 USDT')
  })
  it('signs gains with a plus and leaves zero unsigned', () => {
    expect(fmtSigned('12.3')).toBe('+12.30')
    expect(fmtSigned('-4')).toBe('-4.00')
    expect(fmtSigned('0')).toBe('0.00')
  })
  it('formats fractions as percentages', () => {
    expect(fmtPct(0.0512)).toBe('5.12%')
    expect(fmtPct('0.1', 1, true)).toBe('+10.0%')
    expect(fmtPct(-0.02, 2, true)).toBe('-2.00%')
  })
  it('trims trailing zeros from quantities', () => {
    expect(fmtQty('0.10000000')).toBe('0.1')
    expect(fmtQty('2')).toBe('2')
    expect(fmtQty('1500.00001')).toBe('1,500.00001')
  })
})

describe('P&L colors', () => {
  it('is green for gains, red for losses and neutral for zero', () => {
    expect(pnlClass('5')).toBe('pos')
    expect(pnlClass(-0.01)).toBe('neg')
    expect(pnlClass('0.00')).toBe('flat')
    expect(pnlClass(null)).toBe('flat')
  })
})

describe('time', () => {
  it('reads nanoseconds, milliseconds, seconds and ISO strings as the same instant', () => {
    const iso = '2026-12-01T17:47:06Z'
    expect(fmtTime(iso)).toBe('2026-12-01 17:47:06')
    expect(fmtTime(1796147226000)).toBe(fmtTime(1796147226))
    expect(fmtTime('1796147226000000000')).toBe(fmtTime(1796147226))
    expect(toUnixSeconds(1796147226000000000)).toBe(1796147226)
  })
})
