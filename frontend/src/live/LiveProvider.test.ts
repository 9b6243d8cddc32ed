import { describe, expect, it } from 'vitest'
import { backoffMs, wsUrl } from './LiveProvider'

describe('the websocket connection', () => {
  it('uses wss on https pages and passes the token in the query', () => {
    expect(wsUrl({ protocol: 'https:', host: 'bot.example:8443' }, 'a b')).toBe('wss://bot.example:8443/ws?token=a%20b')
    expect(wsUrl({ protocol: 'http:', host: '127.0.0.1:18482' }, 't')).toBe('ws://127.0.0.1:18482/ws?token=t')
  })
  it('backs off from half a second up to ten seconds', () => {
    expect([0, 1, 2, 5, 9].map(backoffMs)).toEqual([500, 1000, 2000, 10_000, 10_000])
  })
})
