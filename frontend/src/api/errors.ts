// The server's error bodies, turned into one sentence to show the user.

/** An HTTP call that the server answered with an error status. */
export class ApiError extends Error {
  readonly status: number
  readonly body: unknown
  readonly fields: Record<string, string>
  constructor(status: number, body: unknown) {
    const { message, fields } = describeError(status, body)
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.body = body
    this.fields = fields
  }
}

interface ValidationItem { loc?: (string | number)[]; msg?: string; message?: string; field?: string }

/** The message and the per-field messages (for forms) in an error body: FastAPI's
 * {detail: "..."} and {detail: [{loc, msg}]}, and {error: {message, fields}} / {message}. */
export function describeError(status: number, body: unknown): { message: string; fields: Record<string, string> } {
  const fields: Record<string, string> = {}
  const fallback = `request failed (HTTP ${status})`
  if (body === null || body === undefined || body === '') return { message: fallback, fields }
  if (typeof body === 'string') return { message: body, fields }
  if (typeof body !== 'object') return { message: fallback, fields }
  const b = body as Record<string, unknown>
  const inner = (typeof b.error === 'object' && b.error !== null ? b.error : b) as Record<string, unknown>
  const list = [inner.detail, inner.errors, inner.details, b.detail].find(Array.isArray) as ValidationItem[] | undefined
  const parts: string[] = []
  if (list) {
    for (const item of list) {
      const msg = item.msg ?? item.message ?? ''
      const loc = (item.loc ?? []).filter((p) => p !== 'body' && p !== 'query' && p !== 'path')
      const field = item.field ?? (loc.length ? String(loc[loc.length - 1]) : '')
      if (field) fields[field] = msg
      const where = loc.length ? loc.join('.') : field
      parts.push(where ? `${where}: ${msg}` : msg)
    }
  }
  const direct = [inner.message, inner.detail, b.message, b.detail].find((x) => typeof x === 'string') as string | undefined
  // The server's own sentence wins (its validation summary already names each field).
  const message = direct ?? (parts.length ? parts.join('; ') : fallback)
  return { message, fields }
}

/** The message to show for anything a promise rejected with. */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message
  return String(e)
}
