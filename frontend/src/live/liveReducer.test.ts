import { describe, expect, it } from 'vitest'
import { initialLive, isOpenOrder, liveReducer, liveUnrealized, MAX_FILLS, type LiveState } from './liveReducer'

const at = 1_796_147_226_000
const send = (s: LiveState, topic: string, data: unknown, receivedAt = at) => liveReducer(s, { kind: 'message', msg: { topic, data }, receivedAt })
const NS = 1_000_000_000

describe('the live websocket store', () => {
  it('starts from the snapshot the server sends on connect, dropping flat positions', () => {
    const s = send(initialLive, 'snapshot', {
      accounts: [{ id: 'paper', equity: '100000' }],
      positions: [{ account_id: 'paper', instrument_id: 'BTC/USDT.SIM', quantity: '0.5' }, { account_id: 'paper', instrument_id: 'ETH/USDT.SIM', quantity: '0' }],
      strategies: [{ id: 's1', status: 'running' }],
    })
    expect(s.accounts.paper.equity).toBe('100000')
    expect(Object.keys(s.positions)).toEqual(['paper|BTC/USDT.SIM'])
    expect(s.strategies.s1.status).toBe('running')
  })
  it('merges P&L into the account and appends equity points in time order', () => {
    let s = send(initialLive, 'pnl', { account_id: 'paper', equity: '100000', ts_event: 1_000 * NS })
    s = send(s, 'pnl', { account_id: 'paper', equity: '100010.5', unrealized_pnl: '10.5', ts_event: 1_001 * NS })
    expect(s.accounts.paper).toMatchObject({ id: 'paper', equity: '100010.5', unrealized_pnl: '10.5' })
    expect(s.equity.paper).toEqual([{ time: 1_000, value: 100000 }, { time: 1_001, value: 100010.5 }])
  })
  it('replaces an equity point of the same second and ignores one from the past', () => {
    let s = send(initialLive, 'pnl', { account_id: 'a', equity: 1, ts_event: 2_000 * NS })
    s = send(s, 'pnl', { account_id: 'a', equity: 2, ts_event: 2_000 * NS })
    s = send(s, 'pnl', { account_id: 'a', equity: 3, ts_event: 1_000 * NS })
    expect(s.equity.a).toEqual([{ time: 2_000, value: 2 }])
  })
  it('keeps positions by account and instrument and removes one that went flat', () => {
    let s = send(initialLive, 'position', { account_id: 'paper', instrument_id: 'BTC/USDT.SIM', quantity: '0.5', avg_price: '60000' })
    s = send(s, 'position', { account_id: 'paper', instrument_id: 'ETH/USDT.SIM', quantity: '2' })
    expect(Object.keys(s.positions)).toEqual(['paper|BTC/USDT.SIM', 'paper|ETH/USDT.SIM'])
    s = send(s, 'position', { account_id: 'paper', instrument_id: 'BTC/USDT.SIM', quantity: '0' })
    expect(Object.keys(s.positions)).toEqual(['paper|ETH/USDT.SIM'])
  })
  it('updates an order in place as its status changes', () => {
    let s = send(initialLive, 'order', { client_order_id: 'O-1', status: 'ACCEPTED', quantity: '1' })
    expect(isOpenOrder(s.orders['O-1'])).toBe(true)
    s = send(s, 'order', { client_order_id: 'O-1', status: 'CANCELED', event: 'OrderCanceled' })
    expect(s.orders['O-1']).toEqual({ client_order_id: 'O-1', status: 'CANCELED', quantity: '1', event: 'OrderCanceled' })
    expect(isOpenOrder(s.orders['O-1'])).toBe(false)
  })
  it('lists fills newest first, once each, and keeps only the most recent', () => {
    let s = initialLive
    for (let i = 0; i < MAX_FILLS + 5; i++) s = send(s, 'fill', { trade_id: `T-${i}` })
    s = send(s, 'fill', { trade_id: `T-${MAX_FILLS + 4}` })
    expect(s.fills).toHaveLength(MAX_FILLS)
    expect(s.fills[0].trade_id).toBe(`T-${MAX_FILLS + 4}`)
  })
  it('records the latest bar per instrument, the kill switch and strategy errors', () => {
    let s = send(initialLive, 'price', { instrument_id: 'BTC/USDT.SIM', close: 60001.5 })
    s = send(s, 'breaker', { name: 'kill_switch', engaged: true, reason: 'test (by admin)' })
    s = send(s, 'strategy', { strategy_id: 's1', status: 'errored', error: 'ZeroDivisionError' })
    expect(s.prices['BTC/USDT.SIM'].close).toBe(60001.5)
    expect(s.breaker).toMatchObject({ engaged: true, reason: 'test (by admin)' })
    expect(s.strategies.s1).toMatchObject({ id: 's1', status: 'errored' })
    expect(s.events).toBe(3)
    expect(s.lastMessageAt).toBe(at)
  })
  it('ignores messages it cannot read and tracks the connection status', () => {
    expect(liveReducer(initialLive, { kind: 'message', msg: 'not json', receivedAt: at })).toBe(initialLive)
    expect(liveReducer(initialLive, { kind: 'message', msg: { no: 'topic' }, receivedAt: at })).toBe(initialLive)
    expect(liveReducer(initialLive, { kind: 'status', status: 'open' }).status).toBe('open')
  })
})

describe('live unrealized P&L', () => {
  it('marks a position to the latest streamed close', () => {
    const p = { instrument_id: 'BTC/USDT.SIM', quantity: '0.5', avg_price: '60000', unrealized_pnl: '0' }
    expect(liveUnrealized(p, { 'BTC/USDT.SIM': { close: 60100 } })).toEqual({ mark: 60100, upnl: 50 })
  })
  it('uses the server figure before any price arrives', () => {
    const p = { instrument_id: 'X', quantity: '1', avg_price: 'n/a', mark_price: null, unrealized_pnl: '-3' }
    expect(liveUnrealized(p, {})).toEqual({ mark: null, upnl: -3 })
  })
})
