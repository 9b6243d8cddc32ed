// The typed REST client, generated from the backend's OpenAPI schema (src/api/schema.d.ts,
// `npm run gen:api`). Every call goes through the authenticated fetch; `call` turns an error
// response into an ApiError carrying the server's message.
import createClient from 'openapi-fetch'
import { ApiError } from './errors'
import type { components, paths } from './schema'
import { makeAuthFetch } from './session'

export type Schemas = components['schemas']
export type S<K extends keyof Schemas> = Schemas[K]

const origin = globalThis.location?.origin ?? 'http://localhost'
export const api = createClient<paths>({ baseUrl: origin, fetch: makeAuthFetch() })

/** Await an openapi-fetch call; the data, or an ApiError with the server's message. */
export async function call<T>(p: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let r: { data?: T; error?: unknown; response: Response }
  try {
    r = await p
  } catch (e) {
    throw new Error(`the server could not be reached: ${e instanceof Error ? e.message : String(e)}`)
  }
  if (!r.response.ok) throw new ApiError(r.response.status, r.error)
  return r.data as T
}

// Enum values for selects, checked against the generated schema types at compile time.
export const ORDER_SIDES = ['BUY', 'SELL'] as const satisfies readonly S<'OrderSide'>[]
export const ORDER_TYPES = ['MARKET', 'LIMIT', 'STOP', 'STOP_LIMIT', 'TRAILING_STOP'] as const satisfies readonly S<'OrderType'>[]
export const TIME_IN_FORCE = ['GTC', 'IOC', 'FOK', 'DAY'] as const satisfies readonly S<'TimeInForce'>[]
export const ROLES = ['viewer', 'trader', 'admin'] as const satisfies readonly S<'Role'>[]
export const ORDER_STATUSES = ['INITIALIZED', 'DENIED', 'SUBMITTED', 'ACCEPTED', 'REJECTED', 'TRIGGERED', 'PENDING_UPDATE', 'PENDING_CANCEL', 'PARTIALLY_FILLED', 'FILLED', 'CANCELED', 'EXPIRED'] as const satisfies readonly S<'OrderStatus'>[]
