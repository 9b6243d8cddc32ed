import { afterEach, describe, expect, it } from 'vitest'
import { getTokens, makeAuthFetch, setTokens } from './session'

function server(validToken: { value: string }, refreshOk = true) {
  const seen: string[] = []
  const f = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const req = new Request(input, init)
    const url = new URL(req.url).pathname
    seen.push(`${req.method} ${url} ${req.headers.get('Authorization') ?? '-'}`)
    if (url === '/api/auth/refresh') {
      if (!refreshOk) return new Response('{"detail":"refresh token expired"}', { status: 401 })
      validToken.value = 'A2'
      return Response.json({ access_token: 'A2', refresh_token: 'R2' })
    }
    if (req.headers.get('Authorization') !== `Bearer ${validToken.value}`) {
      return new Response('{"detail":"token expired"}', { status: 401 })
    }
    return Response.json({ ok: true, body: req.method === 'POST' ? await req.text() : null })
  }
  return { f: f as typeof fetch, seen }
}

afterEach(() => setTokens(null))

describe('the authenticated fetch', () => {
  it('sends the access token', async () => {
    setTokens({ access_token: 'A1', refresh_token: 'R1' })
    const { f, seen } = server({ value: 'A1' })
    const res = await makeAuthFetch(f)('http://x/api/orders')
    expect(res.status).toBe(200)
    expect(seen).toEqual(['GET /api/orders Bearer A1'])
  })
  it('refreshes an expired access token once and retries the request with its body', async () => {
    setTokens({ access_token: 'A1', refresh_token: 'R1', username: 'admin' })
    const { f, seen } = server({ value: 'A-new' })
    const res = await makeAuthFetch(f)('http://x/api/orders', { method: 'POST', body: '{"q":1}' })
    expect(await res.json()).toEqual({ ok: true, body: '{"q":1}' })
    expect(seen).toEqual(['POST /api/orders Bearer A1', 'POST /api/auth/refresh -', 'POST /api/orders Bearer A2'])
    expect(getTokens()).toMatchObject({ access_token: 'A2', refresh_token: 'R2', username: 'admin' })
  })
  it('signs out when the refresh is refused', async () => {
    setTokens({ access_token: 'A1', refresh_token: 'R1' })
    const { f } = server({ value: 'other' }, false)
    const res = await makeAuthFetch(f)('http://x/api/orders')
    expect(res.status).toBe(401)
    expect(getTokens()).toBeNull()
  })
})
