import { describe, expect, it } from 'vitest'
import { gaugeLevel } from './Gauge'

describe('risk gauges', () => {
  it('fill by the share of the limit used and warm up near it', () => {
    const low = gaugeLevel(0.01, 0.05)
    expect(low.ratio).toBeCloseTo(0.2, 12)
    expect(low.level).toBe('')
    expect(gaugeLevel(0.035, 0.05).level).toBe('warn')
    expect(gaugeLevel(0.05, 0.05)).toEqual({ ratio: 1, level: 'hot' })
  })
  it('stay empty without a limit and never overflow', () => {
    expect(gaugeLevel(0.2, null).ratio).toBe(0)
    expect(gaugeLevel(0.2, 0.1).ratio).toBe(1)
    expect(gaugeLevel(-0.1, 0.1).ratio).toBe(0)
  })
})
