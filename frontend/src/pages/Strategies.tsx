import { useMemo, useState } from 'react'
import { api, call, type S } from '../api/client'
import { ApiError } from '../api/errors'
import { useAuth } from '../auth'
import { ErrorBanner } from '../components/ErrorBanner'
import { Num } from '../components/Num'
import { SchemaForm } from '../components/SchemaForm'
import type { JsonSchema } from '../lib/jsonSchemaForm'
import { pnlFromFills, type StrategyPnl } from '../lib/pnl'
import { useAccounts } from '../lib/useAccounts'
import { useDebounced, useLoad } from '../lib/useLoad'
import { useLive } from '../live/LiveProvider'

const ID_RULE = /^[A-Za-z0-9_\-.]{1,64}$/

function CreateStrategy({ types, instruments, accounts, onCreated }: { types: S<'StrategyType'>[]; instruments: string[]; accounts: string[]; onCreated: () => void }) {
  const [type, setType] = useState(types[0]?.name ?? '')
  const [id, setId] = useState('')
  const [account, setAccount] = useState(accounts[0] ?? '')
  const [chosen, setChosen] = useState<string[]>(instruments.slice(0, 1))
  const [start, setStart] = useState(true)
  const [error, setError] = useState<unknown>(null)
  const [fields, setFields] = useState<Record<string, string>>({})
  const [ok, setOk] = useState<string | null>(null)
  const spec = types.find((t) => t.name === type)
  const idErr = id && !ID_RULE.test(id) ? 'Id may use letters, digits, "_", "-" and "." (at most 64)' : null
  return (
    <div className="panel" data-testid="create-strategy">
      <h2>New strategy</h2>
      <div className="form" style={{ marginBottom: 10 }}>
        <label className="field">Type
          <select name="type" value={type} onChange={(e) => setType(e.target.value)}>{types.map((t) => <option key={t.name}>{t.name}</option>)}</select>
        </label>
        <label className="field">Id *
          <input name="strategy-id" value={id} className={idErr ? 'invalid' : ''} onChange={(e) => setId(e.target.value)} placeholder="e.g. sma-fast" />
          {idErr && <span className="err" role="alert">{idErr}</span>}
        </label>
        <label className="field">Account
          <select name="account" value={account} onChange={(e) => setAccount(e.target.value)}>{accounts.map((a) => <option key={a}>{a}</option>)}</select>
        </label>
        <fieldset className="field" style={{ border: 0, padding: 0, margin: 0 }}>
          <span>Instruments</span>
          {instruments.map((i) => (
            <label key={i} className="check"><input type="checkbox" checked={chosen.includes(i)} onChange={(e) => setChosen(e.target.checked ? [...chosen, i] : chosen.filter((x) => x !== i))} />{i}</label>
          ))}
        </fieldset>
        <label className="check"><input type="checkbox" checked={start} onChange={(e) => setStart(e.target.checked)} />Start now</label>
      </div>
      {spec && <p className="muted" style={{ marginTop: 0 }}>{spec.description}</p>}
      {spec && (
        <SchemaForm
          key={spec.name}
          schema={spec.params_schema as JsonSchema}
          submitLabel="Create strategy"
          serverFields={fields}
          onSubmit={async (params) => {
            setError(null); setOk(null); setFields({})
            if (!id || idErr) { setError(idErr ?? 'Id is required'); return }
            if (!chosen.length) { setError('Choose at least one instrument'); return }
            try {
              const s = await call(api.POST('/api/strategies', { body: { id, type, account_id: account, instruments: chosen, params, start } }))
              setOk(`Strategy ${s.id} created (${s.status})`)
              setId('')
              onCreated()
            } catch (e) {
              setError(e)
              if (e instanceof ApiError) setFields(e.fields)
            }
          }}
        />
      )}
      <ErrorBanner error={error} ok={ok} />
    </div>
  )
}

export function Strategies() {
  const live = useLive()
  const { canTrade } = useAuth()
  const { accounts } = useAccounts()
  const list = useLoad(() => call(api.GET('/api/strategies')), [])
  const types = useLoad(() => call(api.GET('/api/strategies/types')), [])
  const instruments = useLoad(() => call(api.GET('/api/instruments')), [])
  const filled = useLoad(() => call(api.GET('/api/orders', { params: { query: { status: ['FILLED', 'PARTIALLY_FILLED', 'CANCELED'], limit: 500 } } })), [])
  useDebounced(() => void list.reload(), live.strategies)
  useDebounced(() => void filled.reload(), live.fills, 500)
  const [editing, setEditing] = useState<string | null>(null)
  const [error, setError] = useState<unknown>(null)

  const pnl = useMemo(() => {
    const out: Record<string, StrategyPnl> = {}
    const by: Record<string, S<'OrderPublic'>[]> = {}
    for (const o of filled.data?.items ?? []) if (Number(o.filled_qty) > 0) (by[`${o.strategy_id}|${o.instrument_id}`] ??= []).push(o)
    for (const [k, orders] of Object.entries(by)) {
      const [sid, iid] = k.split('|')
      const bar = Object.entries(live.prices).find(([p]) => p.replace('.', '@') === iid || p === iid)?.[1]
      const r = pnlFromFills([...orders].sort((a, b) => a.ts_last - b.ts_last).map((o) => ({ side: o.side, quantity: o.filled_qty, price: o.avg_px ?? '0' })), bar ? Number(bar.close) : null)
      const acc = out[sid] ?? { realized: 0, unrealized: 0, fees: 0, total: 0, position: 0, trades: 0 }
      out[sid] = { realized: acc.realized + r.realized, unrealized: acc.unrealized + r.unrealized, fees: 0, total: acc.total + r.total, position: acc.position + r.position, trades: acc.trades + r.trades }
    }
    return out
  }, [filled.data, live.prices])

  const act = async (id: string, what: 'start' | 'stop') => {
    setError(null)
    try {
      await call(what === 'start'
        ? api.POST('/api/strategies/{strategy_id}/start', { params: { path: { strategy_id: id } } })
        : api.POST('/api/strategies/{strategy_id}/stop', { params: { path: { strategy_id: id } } }))
      await list.reload()
    } catch (e) { setError(e) }
  }
  const rows = (list.data ?? []).map((s) => ({ ...s, status: String(live.strategies[s.id]?.status === 'errored' ? 'errored' : s.status) }))
  const editRow = rows.find((r) => r.id === editing)
  const editType = types.data?.find((t) => t.name === editRow?.type)
  return (
    <>
      <div className="topbar"><h1>Strategies</h1></div>
      <ErrorBanner error={list.error ?? error} />
      <div className="panel" style={{ marginBottom: 12 }}>
        <table data-testid="strategies">
          <thead><tr><th>Id</th><th>Type</th><th>Account</th><th>Instruments</th><th>Parameters</th><th>Status</th><th className="num">Fills</th><th className="num">Position</th><th className="num">Realized</th><th className="num">Unrealized</th><th className="num">P&L</th><th /></tr></thead>
          <tbody>
            {rows.map((s) => {
              const p = pnl[s.id]
              return (
                <tr key={s.id} data-strategy={s.id}>
                  <td>{s.id}</td><td>{s.type}</td><td>{s.account_id}</td><td>{s.instruments.join(', ')}</td>
                  <td className="muted" data-testid="strategy-params">{Object.entries(s.params).map(([k, v]) => `${k}=${String(v)}`).join(' ')}</td>
                  <td><span className={`badge ${s.status === 'running' ? 'pos' : s.status === 'errored' ? 'neg' : ''}`} data-testid="strategy-status">{s.status}</span>
                    {live.strategies[s.id]?.error ? <span className="neg" style={{ marginLeft: 6 }}>{String(live.strategies[s.id].error)}</span> : null}</td>
                  <td className="num">{p?.trades ?? 0}</td>
                  <td className="num"><Num v={p?.position ?? 0} qty /></td>
                  <td className="num"><Num v={p?.realized ?? 0} pnl /></td>
                  <td className="num"><Num v={p?.unrealized ?? 0} pnl /></td>
                  <td className="num"><Num v={p?.total ?? 0} pnl /></td>
                  <td className="row" style={{ flexWrap: 'nowrap' }}>
                    {canTrade && (s.status === 'running'
                      ? <button className="small" onClick={() => void act(s.id, 'stop')}>Stop</button>
                      : <button className="small buy" onClick={() => void act(s.id, 'start')}>Start</button>)}
                    {canTrade && <button className="small" onClick={() => setEditing(editing === s.id ? null : s.id)}>Edit</button>}
                  </td>
                </tr>
              )
            })}
            {!rows.length && <tr><td colSpan={12} className="empty">{list.loading ? 'Loading…' : 'No strategies yet — create one below'}</td></tr>}
          </tbody>
        </table>
        <p className="muted" style={{ marginBottom: 0 }}>P&L per strategy from its filled orders at their average fill prices, marked to the latest streamed price; fees are in the account totals.</p>
      </div>
      {editRow && editType && (
        <div className="panel" style={{ marginBottom: 12 }} data-testid="edit-strategy">
          <h2>Edit {editRow.id}</h2>
          <SchemaForm key={editRow.id} schema={editType.params_schema as JsonSchema} current={editRow.params} submitLabel="Save parameters"
            onSubmit={async (params) => {
              setError(null)
              try { await call(api.PUT('/api/strategies/{strategy_id}', { params: { path: { strategy_id: editRow.id } }, body: { params } })); setEditing(null); await list.reload() } catch (e) { setError(e) }
            }} />
        </div>
      )}
      {canTrade && types.data && instruments.data && accounts.data && (
        <CreateStrategy types={types.data} instruments={instruments.data} accounts={accounts.data.map((a) => a.id)} onCreated={() => void list.reload()} />
      )}
      <ErrorBanner error={types.error} />
    </>
  )
}
