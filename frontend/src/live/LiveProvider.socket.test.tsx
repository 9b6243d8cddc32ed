import { act, render, screen } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { setTokens } from '../api/session'
import { LiveProvider, useLive } from './LiveProvider'

// A stand-in for the server end of the socket: records each connection and lets the test send
// the server's {topic, data} frames or drop the connection.
class ServerSocket {
  static all: ServerSocket[] = []
  static CLOSED = 3
  readyState = 0
  onopen: (() => void) | null = null
  onmessage: ((e: { data: string }) => void) | null = null
  onclose: ((e: { code: number }) => void) | null = null
  constructor(readonly url: string) { ServerSocket.all.push(this) }
  open() { this.readyState = 1; this.onopen?.() }
  send(topic: string, data: unknown) { this.onmessage?.({ data: JSON.stringify({ topic, data }) }) }
  drop(code = 1006) { this.readyState = 3; this.onclose?.({ code }) }
  close() { this.drop(1000) }
}

function Probe() {
  const live = useLive()
  return <div data-testid="probe">{live.status} {String(live.accounts.paper?.equity ?? '-')} {live.equity.paper?.length ?? 0}</div>
}

beforeEach(() => {
  ServerSocket.all = []
  vi.stubGlobal('WebSocket', ServerSocket)
  vi.useFakeTimers()
  setTokens({ access_token: 'A1', refresh_token: 'R1' })
})
afterEach(() => { vi.useRealTimers(); vi.unstubAllGlobals(); setTokens(null) })

describe('the live connection', () => {
  it('connects with the access token and folds the server\'s messages into state', () => {
    render(<LiveProvider><Probe /></LiveProvider>)
    const ws = ServerSocket.all[0]
    expect(ws.url).toMatch(/\/ws\?token=A1$/)
    act(() => { ws.open(); ws.send('pnl', { account_id: 'paper', equity: '100012.5', ts_event: 1_796_147_226_000_000_000 }) })
    expect(screen.getByTestId('probe')).toHaveTextContent('open 100012.5 1')
  })
  it('reconnects after the connection drops, backing off', () => {
    render(<LiveProvider><Probe /></LiveProvider>)
    act(() => { ServerSocket.all[0].open(); ServerSocket.all[0].drop() })
    expect(screen.getByTestId('probe')).toHaveTextContent('closed')
    act(() => { vi.advanceTimersByTime(499) })
    expect(ServerSocket.all).toHaveLength(1)
    act(() => { vi.advanceTimersByTime(1) })
    expect(ServerSocket.all).toHaveLength(2)
    act(() => { ServerSocket.all[1].open() })
    expect(screen.getByTestId('probe')).toHaveTextContent('open')
  })
  it('closes the socket when the user signs out', () => {
    render(<LiveProvider><Probe /></LiveProvider>)
    act(() => { ServerSocket.all[0].open() })
    act(() => { setTokens(null) })
    expect(ServerSocket.all[0].readyState).toBe(3)
    act(() => { vi.advanceTimersByTime(20_000) })
    expect(ServerSocket.all).toHaveLength(1)
  })
})
