import { useState } from 'react'
import { api, call } from '../api/client'
import { useAuth } from '../auth'
import { ConfirmDialog } from '../components/ConfirmDialog'
import { ErrorBanner } from '../components/ErrorBanner'
import { Num } from '../components/Num'
import { fmtTime } from '../lib/format'
import { useAccounts } from '../lib/useAccounts'
import { useDebounced, useLoad } from '../lib/useLoad'
import { useLive } from '../live/LiveProvider'

const BROKERS = ['binance', 'bybit', 'okx', 'kraken', 'coinbase', 'alpaca', 'ibkr', 'mt5', 'ctrader', 'fix']
const NAME_RULE = /^[A-Za-z0-9_\-.]{1,64}$/

function Connect({ onSaved }: { onSaved: () => void }) {
  const empty = { name: '', broker: 'binance', api_key: '', secret: '', passphrase: '' }
  const [f, setF] = useState(empty)
  const [error, setError] = useState<unknown>(null)
  const [ok, setOk] = useState<string | null>(null)
  const set = (k: keyof typeof empty, v: string) => { setF({ ...f, [k]: v }); setOk(null) }
  return (
    <div className="panel" data-testid="connect-broker">
      <h2>Connect a broker account</h2>
      <div className="form">
        <label className="field">Name<input name="cred-name" value={f.name} onChange={(e) => set('name', e.target.value)} placeholder="binance-main" /></label>
        <label className="field">Broker
          <input name="cred-broker" list="brokers" value={f.broker} onChange={(e) => set('broker', e.target.value)} />
          <datalist id="brokers">{BROKERS.map((b) => <option key={b} value={b} />)}</datalist>
        </label>
        <label className="field">API key<input name="cred-key" type="password" autoComplete="off" value={f.api_key} onChange={(e) => set('api_key', e.target.value)} /></label>
        <label className="field">Secret<input name="cred-secret" type="password" autoComplete="off" value={f.secret} onChange={(e) => set('secret', e.target.value)} /></label>
        <label className="field">Passphrase (if the broker uses one)<input name="cred-pass" type="password" autoComplete="off" value={f.passphrase} onChange={(e) => set('passphrase', e.target.value)} /></label>
      </div>
      <p className="muted">Keys are stored encrypted on the server and are never sent back — not to this page, not to the API, not to the logs.</p>
      <ErrorBanner error={error} ok={ok} />
      <button className="primary" onClick={async () => {
        setError(null)
        if (!NAME_RULE.test(f.name)) { setError('Name may use letters, digits, "_", "-" and "." (1–64)'); return }
        if (!f.broker || !f.api_key || !f.secret) { setError('Broker, API key and secret are required'); return }
        try {
          const c = await call(api.POST('/api/broker-credentials', { body: { name: f.name, broker: f.broker, api_key: f.api_key, secret: f.secret, passphrase: f.passphrase || null } }))
          setF(empty) // the secrets leave the page's memory as soon as the server has them
          setOk(`Saved ${c.name} (${c.broker})`)
          onSaved()
        } catch (e) { setError(e) }
      }}>Save credentials</button>
    </div>
  )
}

export function Accounts() {
  const live = useLive()
  const { isAdmin } = useAuth()
  const { accounts, accountId, setAccountId } = useAccounts()
  const balance = useLoad(() => (accountId ? call(api.GET('/api/accounts/{account_id}/balance', { params: { path: { account_id: accountId } } })) : Promise.resolve(undefined)), [accountId])
  const positions = useLoad(() => (accountId ? call(api.GET('/api/accounts/{account_id}/positions', { params: { path: { account_id: accountId } } })) : Promise.resolve([])), [accountId])
  const health = useLoad(() => call(api.GET('/api/health')), [], 5000)
  const creds = useLoad(() => (isAdmin ? call(api.GET('/api/broker-credentials')) : Promise.resolve([])), [isAdmin])
  useDebounced(() => { void accounts.reload(); void balance.reload(); void positions.reload() }, live.positions, 500)
  const [del, setDel] = useState<{ id: number; name: string } | null>(null)
  const h = health.data
  const age = live.lastMessageAt ? Math.max(0, Math.round((Date.now() - live.lastMessageAt) / 1000)) : null
  return (
    <>
      <div className="topbar"><h1>Accounts</h1></div>
      <ErrorBanner error={accounts.error ?? balance.error ?? positions.error} />
      <div className="panel" style={{ marginBottom: 12 }}>
        <h2>Accounts</h2>
        <table data-testid="accounts">
          <thead><tr><th>Id</th><th>Venue</th><th>Type</th><th>Mode</th><th className="num">Equity</th><th className="num">Cash</th><th className="num">Unrealized</th><th className="num">Realized</th><th className="num">Fees</th><th className="num">Positions</th></tr></thead>
          <tbody>
            {(accounts.data ?? []).map((a) => {
              const l = live.accounts[a.id] ?? {}
              return (
                <tr key={a.id} onClick={() => setAccountId(a.id)} style={{ cursor: 'pointer', background: a.id === accountId ? 'var(--panel2)' : undefined }}>
                  <td>{a.id}</td><td>{a.venue}</td><td>{a.type}{a.type === 'MARGIN' ? ` ×${a.leverage}` : ''}</td>
                  <td>{a.live ? <span className="badge warn">live</span> : <span className="badge">paper</span>}</td>
                  <td className="num"><Num v={(l.equity as string) ?? a.equity} /> {a.base_currency}</td>
                  <td className="num"><Num v={(l.cash as string) ?? a.cash} /></td>
                  <td className="num"><Num v={(l.unrealized_pnl as string) ?? a.unrealized_pnl} pnl /></td>
                  <td className="num"><Num v={a.realized_pnl} pnl /></td>
                  <td className="num"><Num v={a.fees} /></td>
                  <td className="num">{a.open_positions}</td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
      <div className="grid g3" style={{ marginBottom: 12 }}>
        <div className="panel">
          <h2>Balances {accountId && <span className="muted" style={{ textTransform: 'none' }}>· {accountId}</span>}</h2>
          <table>
            <thead><tr><th>Currency</th><th className="num">Starting</th><th className="num">Realized</th><th className="num">Fees</th><th className="num">Cash</th></tr></thead>
            <tbody>{balance.data?.balances.map((b) => <tr key={b.currency}><td>{b.currency}</td><td className="num"><Num v={b.starting} /></td><td className="num"><Num v={b.realized_pnl} pnl /></td><td className="num"><Num v={b.fees} /></td><td className="num"><Num v={b.cash} /></td></tr>)}</tbody>
          </table>
        </div>
        <div className="panel">
          <h2>Positions</h2>
          <table>
            <thead><tr><th>Instrument</th><th className="num">Qty</th><th className="num">Avg</th><th className="num">Unrealized</th></tr></thead>
            <tbody>
              {(positions.data ?? []).map((p) => <tr key={p.instrument_id}><td>{p.instrument_id}</td><td className="num"><Num v={p.quantity} qty /></td><td className="num"><Num v={p.avg_price} /></td><td className="num"><Num v={p.unrealized_pnl} pnl /></td></tr>)}
              {!positions.data?.length && <tr><td colSpan={4} className="empty">Flat</td></tr>}
            </tbody>
          </table>
        </div>
        <div className="panel" data-testid="health">
          <h2>Connection health</h2>
          <ErrorBanner error={health.error} />
          <dl className="kv">
            <dt>Server</dt><dd><span className={`badge ${h?.status === 'ok' ? 'pos' : 'neg'}`}>{h?.status ?? '…'}</span></dd>
            <dt>Engine</dt><dd>{h ? (h.engine_running ? 'running' : 'stopped') : '…'}{h?.feed_ended ? ' · feed ended' : ''}</dd>
            <dt>Bars processed</dt><dd className="num" style={{ textAlign: 'left' }}>{h?.bars_processed ?? '…'}</dd>
            <dt>Database</dt><dd>{h ? (h.database ? 'ok' : 'unavailable') : '…'}</dd>
            <dt>Tasks</dt><dd>{h?.tasks_backend ?? '…'}</dd>
            <dt>Cache</dt><dd>{h?.cache ?? '…'}</dd>
            <dt>Up since</dt><dd>{h ? fmtTime(h.started_ns) : '…'}</dd>
            <dt>Live stream</dt><dd><span className={`dot ${live.status}`} />{live.status}{age !== null ? ` · last event ${age}s ago` : ''}</dd>
          </dl>
        </div>
      </div>
      {isAdmin ? (
        <div className="grid g2">
          <Connect onSaved={() => void creds.reload()} />
          <div className="panel">
            <h2>Stored broker credentials</h2>
            <ErrorBanner error={creds.error} />
            <table data-testid="credentials">
              <thead><tr><th>Name</th><th>Broker</th><th>Added (UTC)</th><th>Secrets</th><th /></tr></thead>
              <tbody>
                {(creds.data ?? []).map((c) => <tr key={c.id}><td>{c.name}</td><td>{c.broker}</td><td className="num" style={{ textAlign: 'left' }}>{fmtTime(c.created_ns)}</td><td className="muted">encrypted · hidden</td><td><button className="small danger" onClick={() => setDel({ id: c.id, name: c.name })}>Remove</button></td></tr>)}
                {!creds.data?.length && <tr><td colSpan={5} className="empty">No broker connected; the accounts trade on paper</td></tr>}
              </tbody>
            </table>
          </div>
        </div>
      ) : <p className="muted">Only an admin can connect broker accounts.</p>}
      {del && (
        <ConfirmDialog title={`Remove ${del.name}?`} confirmLabel="Remove" danger onClose={() => setDel(null)}
          onConfirm={async () => { await call(api.DELETE('/api/broker-credentials/{credential_id}', { params: { path: { credential_id: del.id } } })); await creds.reload() }}>
          <p>The encrypted keys are deleted from the server.</p>
        </ConfirmDialog>
      )}
    </>
  )
}
