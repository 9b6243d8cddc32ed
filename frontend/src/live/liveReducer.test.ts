import { describe, expect, it } from 'vitest'
import { initialLive, isOpenOrder, liveReducer, MAX_FILLS, type LiveState } from './liveReducer'

const at = 1_796_147_226_000
const send = (s: LiveState, msg: unknown, receivedAt = at) => liveReducer(s, { kind: 'message', msg, receivedAt })

describe('the live websocket store', () => {
  it('merges portfolio updates and appends equity points in time order', () => {
    let s = send(initialLive, { type: 'portfolio', data: { equity: '100000', ts: 1_000_000_000_000_000_000 } })
    s = send(s, { type: 'portfolio', data: { equity: '100010.5', pnl_today: '10.5', ts: 1_000_000_001_000_000_000 } })
    expect(s.portfolio).toMatchObject({ equity: '100010.5', pnl_today: '10.5' })
    expect(s.equity).toEqual([{ time: 1_000_000_000, value: 100000 }, { time: 1_000_000_001, value: 100010.5 }])
  })
  it('replaces an equity point with the same second and ignores one from the past', () => {
    let s = send(initialLive, { type: 'portfolio', data: { equity: 1, ts: 2_000_000_000 } })
    s = send(s, { type: 'portfolio', data: { equity: 2, ts: 2_000_000_000 } })
    s = send(s, { type: 'portfolio', data: { equity: 3, ts: 1_000_000_000 } })
    expect(s.equity).toEqual([{ time: 2_000_000_000, value: 2 }])
  })
  it('keeps positions by instrument and removes a position that went flat', () => {
    let s = send(initialLive, { type: 'position', data: { instrument_id: 'BTC/USDT.SIM', quantity: '0.5', unrealized_pnl: '3' } })
    s = send(s, { type: 'position', data: { instrument_id: 'ETH/USDT.SIM', quantity: '2' } })
    expect(Object.keys(s.positions)).toEqual(['BTC/USDT.SIM', 'ETH/USDT.SIM'])
    s = send(s, { type: 'position', data: { instrument_id: 'BTC/USDT.SIM', quantity: '0' } })
    expect(Object.keys(s.positions)).toEqual(['ETH/USDT.SIM'])
  })
  it('takes a full positions snapshot as the new truth', () => {
    let s = send(initialLive, { type: 'position', data: { instrument_id: 'A', quantity: 1 } })
    s = send(s, { type: 'positions', data: { positions: [{ instrument_id: 'B', quantity: 1 }] } })
    expect(Object.keys(s.positions)).toEqual(['B'])
  })
  it('updates an order in place as its status changes', () => {
    let s = send(initialLive, { type: 'order', data: { client_order_id: 'O-1', status: 'ACCEPTED', quantity: '1' } })
    s = send(s, { type: 'order', data: { client_order_id: 'O-1', status: 'CANCELED' } })
    expect(s.orders['O-1']).toEqual({ client_order_id: 'O-1', status: 'CANCELED', quantity: '1' })
    expect(isOpenOrder(s.orders['O-1'])).toBe(false)
  })
  it('lists fills newest first, once each, and keeps only the most recent', () => {
    let s = initialLive
    for (let i = 0; i < MAX_FILLS + 5; i++) s = send(s, { type: 'fill', data: { trade_id: `T-${i}` } })
    s = send(s, { type: 'fill', data: { trade_id: `T-${MAX_FILLS + 4}` } })
    expect(s.fills).toHaveLength(MAX_FILLS)
    expect(s.fills[0].trade_id).toBe(`T-${MAX_FILLS + 4}`)
  })
  it('records the latest price per symbol and the breaker state', () => {
    let s = send(initialLive, { type: 'price', data: { symbol: 'BTC/USDT', close: '60001.5' } })
    s = send(s, { type: 'breaker', data: { tripped: true, reason: 'kill switch' } })
    expect(s.prices['BTC/USDT'].close).toBe('60001.5')
    expect(s.breaker).toEqual({ tripped: true, reason: 'kill switch' })
    expect(s.events).toBe(2)
    expect(s.lastMessageAt).toBe(at)
  })
  it('ignores messages it cannot read and tracks the connection status', () => {
    expect(send(initialLive, 'not json')).toBe(initialLive)
    expect(send(initialLive, { no: 'type' })).toBe(initialLive)
    expect(liveReducer(initialLive, { kind: 'status', status: 'open' }).status).toBe('open')
  })
})
