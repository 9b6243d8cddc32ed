import { describe, expect, it } from 'vitest'
import { emptyTicket, priceFields, ticketBody, validateTicket } from './orderForm'

const base = { ...emptyTicket('paper', 'BTC/USDT@SIM'), quantity: '0.01' }

describe('the order ticket', () => {
  it('asks for the prices each order type needs', () => {
    expect(priceFields('MARKET')).toEqual([])
    expect(priceFields('STOP_LIMIT')).toEqual(['price', 'trigger_price'])
    expect(priceFields('TRAILING_STOP')).toEqual(['trailing_offset'])
  })
  it('accepts a market order with a quantity', () => {
    expect(validateTicket(base)).toEqual({})
  })
  it('requires a limit price for a limit order and refuses zero or text', () => {
    expect(validateTicket({ ...base, order_type: 'LIMIT' }).price).toBe('Limit price is required for a LIMIT order')
    expect(validateTicket({ ...base, quantity: '0' }).quantity).toBe('Quantity must be a number > 0, was "0"')
    expect(validateTicket({ ...base, quantity: '1e3' }).quantity).toMatch(/must be a number/)
  })
  it('refuses post-only on anything but a limit order', () => {
    expect(validateTicket({ ...base, post_only: true }).post_only).toMatch(/LIMIT/)
  })
  it('sends exact decimal strings and only the price fields of its type', () => {
    const body = ticketBody({ ...base, order_type: 'LIMIT', price: ' 59000.10 ', trigger_price: '1' })
    expect(body).toEqual({ account_id: 'paper', instrument_id: 'BTC/USDT@SIM', side: 'BUY', order_type: 'LIMIT', quantity: '0.01', price: '59000.10', time_in_force: 'GTC', reduce_only: false, post_only: false })
  })
})
