import { createContext, useContext, useEffect, useReducer, type ReactNode } from 'react'
import { api } from '../api/client'
import { getTokens, onTokens } from '../api/session'
import { initialLive, liveReducer, type LiveState } from './liveReducer'

const LiveContext = createContext<LiveState>(initialLive)

/** The websocket URL for the current page and token (`/ws?token=`; browsers cannot send headers). */
export function wsUrl(loc: { protocol: string; host: string }, token: string): string {
  const scheme = loc.protocol === 'https:' ? 'wss' : 'ws'
  return `${scheme}://${loc.host}/ws?token=${encodeURIComponent(token)}`
}

/** Reconnect delay: 0.5 s doubling to 10 s. */
export function backoffMs(attempt: number): number {
  return Math.min(10_000, 500 * 2 ** Math.max(0, attempt))
}

/** Holds one websocket for the whole app and reconnects it (with a fresh token) when it drops. */
export function LiveProvider({ children }: { children: ReactNode }) {
  const [state, dispatch] = useReducer(liveReducer, initialLive)
  useEffect(() => {
    let ws: WebSocket | null = null
    let stopped = false
    let attempt = 0
    let timer: ReturnType<typeof setTimeout> | undefined
    const connect = () => {
      const t = getTokens()
      if (stopped || !t) return
      dispatch({ kind: 'status', status: 'connecting' })
      ws = new WebSocket(wsUrl(location, t.access_token))
      ws.onopen = () => { attempt = 0; dispatch({ kind: 'status', status: 'open' }) }
      ws.onmessage = (e) => {
        try { dispatch({ kind: 'message', msg: JSON.parse(String(e.data)), receivedAt: Date.now() }) } catch { /* not JSON: ignored */ }
      }
      ws.onclose = (e) => {
        dispatch({ kind: 'status', status: 'closed' })
        if (stopped) return
        // 4401: the token was refused (expired); any REST call refreshes it before we retry.
        const again = () => { timer = setTimeout(connect, backoffMs(attempt++)) }
        if (e.code === 4401) void api.GET('/api/auth/me').finally(again)
        else again()
      }
    }
    connect()
    const off = onTokens((t) => {
      if (!t) { ws?.close(); return }
      if (!ws || ws.readyState === WebSocket.CLOSED) { clearTimeout(timer); connect() }
    })
    return () => { stopped = true; clearTimeout(timer); off(); ws?.close() }
  }, [])
  return <LiveContext.Provider value={state}>{children}</LiveContext.Provider>
}

export function useLive(): LiveState {
  return useContext(LiveContext)
}
