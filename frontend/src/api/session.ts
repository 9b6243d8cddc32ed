// The signed-in session: the access and refresh tokens, kept in localStorage so a reload stays
// signed in, and a fetch that adds the access token and, when the server says 401, trades the
// refresh token for a new pair once and retries. A refresh that fails signs the user out.

export interface Tokens {
  access_token: string
  refresh_token: string
  expires_at?: number
  refresh_expires_at?: number
  username?: string
  role?: string
}

const KEY = 'aitrader.session'
type Listener = (t: Tokens | null) => void
const listeners = new Set<Listener>()
let current: Tokens | null = load()
let refreshing: Promise<Tokens | null> | null = null

/** Where a refresh token is traded for a new pair. */
export const REFRESH_PATH = '/api/auth/refresh'

function load(): Tokens | null {
  try {
    const raw = globalThis.localStorage?.getItem(KEY)
    return raw ? (JSON.parse(raw) as Tokens) : null
  } catch {
    return null
  }
}

export function getTokens(): Tokens | null {
  return current
}

export function setTokens(t: Tokens | null): void {
  current = t
  try {
    if (t) localStorage.setItem(KEY, JSON.stringify(t))
    else localStorage.removeItem(KEY)
  } catch { /* storage disabled: the session lives in memory only */ }
  for (const l of listeners) l(t)
}

export function onTokens(l: Listener): () => void {
  listeners.add(l)
  return () => listeners.delete(l)
}

async function refresh(fetcher: typeof fetch, origin: string): Promise<Tokens | null> {
  const t = current
  if (!t?.refresh_token) return null
  const res = await fetcher(new URL(REFRESH_PATH, origin).href, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ refresh_token: t.refresh_token }),
  })
  if (!res.ok) {
    setTokens(null)
    return null
  }
  const next = { ...t, ...((await res.json()) as Tokens) }
  setTokens(next)
  return next
}

/** fetch with the bearer token and one refresh-and-retry on 401. */
export function makeAuthFetch(base: typeof fetch = (...a) => globalThis.fetch(...a)): typeof fetch {
  return async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init)
    const retry = req.clone()
    const withToken = (r: Request, t: Tokens | null) => {
      if (t?.access_token) r.headers.set('Authorization', `Bearer ${t.access_token}`)
      return r
    }
    const res = await base(withToken(req, current))
    if (res.status !== 401 || !current?.refresh_token || new URL(req.url).pathname === REFRESH_PATH) return res
    refreshing ??= refresh(base, req.url).finally(() => { refreshing = null })
    const t = await refreshing
    if (!t) return res
    return base(withToken(retry, t))
  }
}
