import { errorMessage } from '../api/errors'

/** The server's message, shown where the user is looking. */
export function ErrorBanner({ error, ok }: { error?: unknown; ok?: string | null }) {
  if (ok) return <div className="alert ok" role="status">{ok}</div>
  if (error === null || error === undefined || error === '') return null
  return <div className="alert" role="alert">{typeof error === 'string' ? error : errorMessage(error)}</div>
}
