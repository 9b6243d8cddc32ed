import { describe, expect, it } from 'vitest'
import { backtestSpec } from './Backtests'

const setup = { symbol: 'BTC/USDT', bars: '1500', seed: '7', start_price: '60000', timeframe: '1m', starting_cash: '100000', fee_rate: '0.001', slippage_bps: '0', source: 'random_walk' as const, path: '' }

describe('the backtest request', () => {
  it('sends a seeded random walk with numbers and money as exact strings', () => {
    expect(backtestSpec('sma_cross', { fast: 5 }, setup)).toEqual({
      strategy: 'sma_cross', params: { fast: 5 }, symbol: 'BTC/USDT',
      data: { kind: 'random_walk', bars: 1500, seed: 7, start_price: 60000, timeframe: '1m' },
      starting_cash: '100000', fee_rate: '0.001', slippage_bps: '0',
    })
  })
  it('sends a server-side bar file by its relative path', () => {
    expect(backtestSpec('sma_cross', {}, { ...setup, source: 'file', path: ' crypto/BTCUSDT_1m.parquet ', timeframe: '' }).data)
      .toEqual({ kind: 'file', path: 'crypto/BTCUSDT_1m.parquet', timeframe: null })
  })
})
