import { useState } from 'react'
import { api, call, ROLES, type S } from '../api/client'
import { useAuth } from '../auth'
import { ErrorBanner } from '../components/ErrorBanner'
import { fmtPct, fmtTime } from '../lib/format'
import { useLoad } from '../lib/useLoad'

const FRACTIONS = new Set(['per_trade_risk', 'max_portfolio_risk', 'max_drawdown', 'daily_loss_limit'])

function RiskLimits() {
  const { isAdmin } = useAuth()
  const limits = useLoad(() => call(api.GET('/api/risk/limits')), [])
  const [edit, setEdit] = useState<{ max_positions: string; max_order_notional: string } | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [ok, setOk] = useState<string | null>(null)
  const l = limits.data
  return (
    <div className="panel" data-testid="risk-limits">
      <h2>Risk limits</h2>
      <ErrorBanner error={limits.error ?? error} ok={ok} />
      <table>
        <thead><tr><th>Limit</th><th className="num">Value</th><th>Enforced while running</th></tr></thead>
        <tbody>
          {l && Object.entries(l.limits).map(([k, v]) => (
            <tr key={k}>
              <td>{k.replace(/_/g, ' ')}</td>
              <td className="num">
                {edit && (k === 'max_positions' || k === 'max_order_notional')
                  ? <input aria-label={k} style={{ width: 110, textAlign: 'right' }} value={edit[k]} onChange={(e) => setEdit({ ...edit, [k]: e.target.value })} placeholder={k === 'max_order_notional' ? 'none' : ''} />
                  : v === null || v === undefined ? '—' : FRACTIONS.has(k) ? fmtPct(v as number) : String(v)}
              </td>
              <td>{l.enforced.includes(k) ? <span className="badge pos">yes</span> : <span className="muted">declared in trading.yml</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {isAdmin && l && (edit ? (
        <div className="row" style={{ marginTop: 8 }}>
          <button className="primary" onClick={async () => {
            setError(null); setOk(null)
            const mp = edit.max_positions.trim()
            if (!/^\d+$/.test(mp)) { setError(`max positions must be a whole number ≥ 1, was "${mp}"`); return }
            const body: S<'RiskLimitsUpdate'> = { max_positions: Number(mp), max_order_notional: edit.max_order_notional.trim() || null }
            try { await call(api.PUT('/api/risk/limits', { body })); setEdit(null); setOk('Limits updated'); await limits.reload() } catch (e) { setError(e) }
          }}>Save</button>
          <button onClick={() => setEdit(null)}>Cancel</button>
        </div>
      ) : (
        <button style={{ marginTop: 8 }} onClick={() => setEdit({ max_positions: String(l.limits.max_positions ?? ''), max_order_notional: l.limits.max_order_notional == null ? '' : String(l.limits.max_order_notional) })}>Edit enforced limits</button>
      ))}
    </div>
  )
}

function Users() {
  const users = useLoad(() => call(api.GET('/api/users')), [])
  const [f, setF] = useState({ username: '', password: '', role: 'viewer' as S<'Role'> })
  const [error, setError] = useState<unknown>(null)
  const patch = async (id: number, body: S<'UserUpdate'>) => {
    setError(null)
    try { await call(api.PATCH('/api/users/{user_id}', { params: { path: { user_id: id } }, body })); await users.reload() } catch (e) { setError(e) }
  }
  return (
    <div className="panel" data-testid="users">
      <h2>Users</h2>
      <ErrorBanner error={users.error ?? error} />
      <table>
        <thead><tr><th>User</th><th>Role</th><th>State</th><th>Created (UTC)</th><th /></tr></thead>
        <tbody>
          {(users.data ?? []).map((u) => (
            <tr key={u.id}>
              <td>{u.username}</td>
              <td><select aria-label={`role of ${u.username}`} value={u.role} onChange={(e) => void patch(u.id, { role: e.target.value as S<'Role'> })}>{ROLES.map((r) => <option key={r}>{r}</option>)}</select></td>
              <td>{u.active ? <span className="badge pos">active</span> : <span className="badge neg">disabled</span>}</td>
              <td className="num" style={{ textAlign: 'left' }}>{fmtTime(u.created_ns)}</td>
              <td><button className="small" onClick={() => void patch(u.id, { active: !u.active })}>{u.active ? 'Disable' : 'Enable'}</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="row" style={{ marginTop: 8 }}>
        <input aria-label="new username" placeholder="username" value={f.username} onChange={(e) => setF({ ...f, username: e.target.value })} />
        <input aria-label="new password" type="password" placeholder="password (10+ characters)" value={f.password} onChange={(e) => setF({ ...f, password: e.target.value })} />
        <select aria-label="new role" value={f.role} onChange={(e) => setF({ ...f, role: e.target.value as S<'Role'> })}>{ROLES.map((r) => <option key={r}>{r}</option>)}</select>
        <button onClick={async () => {
          setError(null)
          if (f.password.length < 10) { setError('password must have at least 10 characters'); return }
          try { await call(api.POST('/api/users', { body: f })); setF({ username: '', password: '', role: 'viewer' }); await users.reload() } catch (e) { setError(e) }
        }}>Add user</button>
      </div>
    </div>
  )
}

function ApiKeys() {
  const keys = useLoad(() => call(api.GET('/api/auth/api-keys')), [])
  const { me } = useAuth()
  const [name, setName] = useState('')
  const [scopes, setScopes] = useState<string[]>(['read'])
  const [created, setCreated] = useState<S<'ApiKeyCreated'> | null>(null)
  const [error, setError] = useState<unknown>(null)
  const allowed = me?.scopes ?? ['read']
  return (
    <div className="panel" data-testid="api-keys">
      <h2>API keys</h2>
      <ErrorBanner error={keys.error ?? error} />
      {created && <div className="alert ok">New key <b>{created.name}</b> — copy it now, it is not shown again:<br /><code data-testid="new-key">{created.key}</code></div>}
      <table>
        <thead><tr><th>Name</th><th>Prefix</th><th>Scopes</th><th>Created</th><th>Last used</th><th>State</th><th /></tr></thead>
        <tbody>
          {(keys.data ?? []).map((k) => (
            <tr key={k.id}>
              <td>{k.name}</td><td className="muted">{k.prefix}…</td><td>{k.scopes.join(', ')}</td>
              <td className="num" style={{ textAlign: 'left' }}>{fmtTime(k.created_ns)}</td>
              <td className="num" style={{ textAlign: 'left' }}>{k.last_used_ns ? fmtTime(k.last_used_ns) : '—'}</td>
              <td>{k.revoked_ns ? <span className="badge neg">revoked</span> : <span className="badge pos">active</span>}</td>
              <td>{!k.revoked_ns && <button className="small danger" onClick={async () => {
                try { await call(api.DELETE('/api/auth/api-keys/{key_id}', { params: { path: { key_id: k.id } } })); await keys.reload() } catch (e) { setError(e) }
              }}>Revoke</button>}</td>
            </tr>
          ))}
          {!keys.data?.length && <tr><td colSpan={7} className="empty">No API keys</td></tr>}
        </tbody>
      </table>
      <div className="row" style={{ marginTop: 8 }}>
        <input aria-label="key name" placeholder="key name" value={name} onChange={(e) => setName(e.target.value)} />
        {['read', 'trade', 'admin'].filter((s) => allowed.includes(s)).map((s) => (
          <label key={s} className="check"><input type="checkbox" checked={scopes.includes(s)} onChange={(e) => setScopes(e.target.checked ? [...scopes, s] : scopes.filter((x) => x !== s))} />{s}</label>
        ))}
        <button onClick={async () => {
          setError(null); setCreated(null)
          if (!name.trim()) { setError('Key name is required'); return }
          if (!scopes.length) { setError('Choose at least one scope'); return }
          try { setCreated(await call(api.POST('/api/auth/api-keys', { body: { name: name.trim(), scopes } }))); setName(''); await keys.reload() } catch (e) { setError(e) }
        }}>Create key</button>
      </div>
    </div>
  )
}

export function Settings() {
  const { isAdmin } = useAuth()
  return (
    <>
      <div className="topbar"><h1>Settings</h1><span className="spacer" /><a href="/docs" target="_blank" rel="noreferrer">API docs (Swagger) ↗</a></div>
      <div className="grid g2" style={{ marginBottom: 12 }}>
        <RiskLimits />
        <div className="panel" data-testid="alerts">
          <h2>Alert channels</h2>
          <div className="empty">The API has no alert-channel endpoints yet (email, webhook, Slack, Discord, Telegram are configured on the server). This panel lists them once <code>/api/alerts</code> exists.</div>
        </div>
      </div>
      {isAdmin ? (
        <div className="grid g2"><Users /><ApiKeys /></div>
      ) : (
        <div className="grid g2"><ApiKeys /><div className="panel muted">Users are managed by an admin.</div></div>
      )}
    </>
  )
}
