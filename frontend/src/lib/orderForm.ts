// The manual order ticket: which price fields each order type needs, the checks made before
// sending, and the request body (decimals as exact strings).
import type { S } from '../api/client'

export interface Ticket {
  account_id: string
  instrument_id: string
  side: S<'OrderSide'>
  order_type: S<'OrderType'>
  quantity: string
  price: string
  trigger_price: string
  trailing_offset: string
  time_in_force: S<'TimeInForce'>
  reduce_only: boolean
  post_only: boolean
  tag: string
}

export const emptyTicket = (account_id = '', instrument_id = ''): Ticket => ({
  account_id, instrument_id, side: 'BUY', order_type: 'MARKET', quantity: '', price: '', trigger_price: '',
  trailing_offset: '', time_in_force: 'GTC', reduce_only: false, post_only: false, tag: '',
})

/** The price inputs an order type uses. */
export function priceFields(t: S<'OrderType'>): ('price' | 'trigger_price' | 'trailing_offset')[] {
  switch (t) {
    case 'LIMIT': return ['price']
    case 'STOP': return ['trigger_price']
    case 'STOP_LIMIT': return ['price', 'trigger_price']
    case 'TRAILING_STOP': return ['trailing_offset']
    default: return []
  }
}

const POSITIVE = /^(\d+(\.\d*)?|\.\d+)$/
const LABEL = { quantity: 'Quantity', price: 'Limit price', trigger_price: 'Trigger price', trailing_offset: 'Trailing offset' }

/** Problems with the ticket, by field (empty when it can be sent). */
export function validateTicket(t: Ticket): Partial<Record<keyof Ticket, string>> {
  const e: Partial<Record<keyof Ticket, string>> = {}
  if (!t.account_id) e.account_id = 'Choose an account'
  if (!t.instrument_id) e.instrument_id = 'Choose an instrument'
  for (const f of ['quantity', ...priceFields(t.order_type)] as const) {
    const v = t[f].trim()
    if (v === '') e[f] = `${LABEL[f]} is required for a ${t.order_type} order`
    else if (!POSITIVE.test(v) || Number(v) <= 0) e[f] = `${LABEL[f]} must be a number > 0, was "${v}"`
  }
  if (t.post_only && t.order_type !== 'LIMIT') e.post_only = 'Post-only needs a LIMIT order'
  return e
}

/** The POST /api/orders body. */
export function ticketBody(t: Ticket): S<'OrderCreate'> {
  const body: S<'OrderCreate'> = {
    account_id: t.account_id, instrument_id: t.instrument_id, side: t.side, order_type: t.order_type,
    quantity: t.quantity.trim(), time_in_force: t.time_in_force, reduce_only: t.reduce_only, post_only: t.post_only,
  }
  for (const f of priceFields(t.order_type)) body[f] = t[f].trim()
  if (t.tag.trim()) body.tag = t.tag.trim()
  return body
}
