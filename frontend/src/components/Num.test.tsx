import { render } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { Num } from './Num'

describe('numbers on screen', () => {
  it('color P&L by sign with aligned digits', () => {
    const { container } = render(<><Num v="12.5" pnl /><Num v="-3" pnl /><Num v="100000" currency="USDT" /></>)
    const spans = [...container.querySelectorAll('span')]
    expect(spans.map((s) => [s.textContent, s.className.trim()])).toEqual([['+12.50', 'num pos'], ['-3.00', 'num neg'], ['100,000.00 USDT', 'num']])
  })
})
