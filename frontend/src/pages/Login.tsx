import { useState } from 'react'
import { useAuth } from '../auth'
import { ErrorBanner } from '../components/ErrorBanner'

export function Login() {
  const { login } = useAuth()
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  return (
    <div className="login">
      <form
        className="panel"
        onSubmit={async (e) => {
          e.preventDefault()
          setBusy(true); setError(null)
          try { await login(username, password) } catch (err) { setError(err) } finally { setBusy(false) }
        }}
      >
        <div className="brand" style={{ padding: 0, fontSize: 20 }}>ai<span>trader</span></div>
        <label className="field">Username
          <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} autoFocus />
        </label>
        <label className="field">Password
          <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        <ErrorBanner error={error} />
        <button className="primary" type="submit" disabled={busy || !username || !password}>Sign in</button>
        <span className="muted" style={{ fontSize: 12 }}>The first admin is created by <code>aitrader users create</code> or printed when <code>aitrader up</code> starts.</span>
      </form>
    </div>
  )
}
