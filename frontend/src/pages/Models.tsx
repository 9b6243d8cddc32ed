import { Fragment, useRef, useState } from 'react'
import { api, call } from '../api/client'
import { useAuth } from '../auth'
import { ConfirmDialog } from '../components/ConfirmDialog'
import { ErrorBanner } from '../components/ErrorBanner'
import { fmtNum, fmtTime } from '../lib/format'
import { checkModelFile, MODEL_EXTENSIONS, nextStage, parseMeta, versions } from '../lib/models'
import { useLoad } from '../lib/useLoad'

const kb = (n: number) => (n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${fmtNum(n / 1024, 1)} KB` : `${fmtNum(n / 1024 / 1024, 1)} MB`)

export function Models() {
  const { canTrade, isAdmin } = useAuth()
  const models = useLoad(() => call(api.GET('/api/models')), [])
  const fileRef = useRef<HTMLInputElement>(null)
  const [file, setFile] = useState<File | null>(null)
  const [name, setName] = useState('')
  const [meta, setMeta] = useState('{}')
  const [error, setError] = useState<unknown>(null)
  const [ok, setOk] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [del, setDel] = useState<{ id: string; label: string; production: boolean } | null>(null)
  const upload = async () => {
    setError(null); setOk(null)
    if (!file) { setError('Choose a model file'); return }
    const bad = checkModelFile(file.name, file.size)
    if (bad) { setError(bad); return }
    if (!name.trim()) { setError('Name is required'); return }
    const parsed = parseMeta(meta)
    if ('error' in parsed) { setError(parsed.error); return }
    setBusy(true)
    try {
      const m = await call(api.POST('/api/models/upload', {
        // multipart: the generated type says string for the binary part; the File goes in as is
        body: { file: file as unknown as string, name: name.trim(), meta: JSON.stringify(parsed.meta) },
        bodySerializer: (b) => { const fd = new FormData(); fd.append('file', file); fd.append('name', b.name); fd.append('meta', b.meta ?? '{}'); return fd },
      }))
      setOk(`Uploaded ${m.name} v${m.version} (${m.format}, ${kb(m.size_bytes)}, ${m.stage}, sha256 ${m.sha256.slice(0, 12)}…)`)
      setFile(null); if (fileRef.current) fileRef.current.value = ''
      await models.reload()
    } catch (e) { setError(e) } finally { setBusy(false) }
  }
  const promote = async (id: string, stage: 'production' | 'archived' | 'staging') => {
    setError(null); setOk(null)
    try {
      const m = await call(api.POST('/api/models/{model_id}/promote', { params: { path: { model_id: id } }, body: { stage } }))
      setOk(`${m.name} v${m.version} is now ${m.stage}`)
      await models.reload()
    } catch (e) { setError(e) }
  }
  const exportFile = async (id: string, filename: string) => {
    setError(null)
    try {
      const blob = await call(api.GET('/api/models/{model_id}/download', { params: { path: { model_id: id } }, parseAs: 'blob' })) as unknown as Blob
      const a = document.createElement('a'); a.href = URL.createObjectURL(blob); a.download = filename; a.click()
      setTimeout(() => URL.revokeObjectURL(a.href), 1000)
    } catch (e) { setError(e) }
  }
  const grouped = versions(models.data ?? [])
  const range = (m: { data_start_ns?: number | null; data_end_ns?: number | null }) =>
    m.data_start_ns != null && m.data_end_ns != null ? <><span className="nowrap">{fmtTime(m.data_start_ns).slice(0, 10)}</span> – <span className="nowrap">{fmtTime(m.data_end_ns).slice(0, 10)}</span></> : '—'
  return (
    <>
      <div className="topbar"><h1>Models</h1></div>
      {canTrade && (
        <div className="panel" style={{ marginBottom: 12 }} data-testid="model-upload">
          <h2>Upload / import a model</h2>
          <div className="form">
            <label className="field">File ({MODEL_EXTENSIONS.join(' ')})
              <input ref={fileRef} name="model-file" type="file" accept={MODEL_EXTENSIONS.join(',')} onChange={(e) => { const f = e.target.files?.[0] ?? null; setFile(f); if (f && !name) setName(f.name.replace(/\.[^.]+$/, '')) }} />
            </label>
            <label className="field">Name<input name="model-name" value={name} onChange={(e) => setName(e.target.value)} /></label>
            <label className="field" style={{ gridColumn: 'span 2' }}>Metadata (JSON object: feature_names, classes, metrics, …; ONNX files exported by aitrader carry their own)
              <textarea name="model-meta" rows={2} value={meta} onChange={(e) => setMeta(e.target.value)} />
            </label>
          </div>
          {!isAdmin && <p className="muted">Pickle-based files (.pkl, .joblib, .pt) run code when loaded: only an admin may upload them. ONNX is open to traders.</p>}
          <p className="muted">The server checks the file is a model of its format (not truncated, metadata that fits) and registers it as a new version in staging.</p>
          <ErrorBanner error={error} ok={ok} />
          <button className="primary" disabled={busy} onClick={() => void upload()} style={{ marginTop: 8 }}>Upload</button>
        </div>
      )}
      <div className="panel">
        <h2>Registry</h2>
        <ErrorBanner error={models.error} />
        <div className="hscroll" data-testid="models-scroll">
        <table data-testid="models">
          <thead><tr><th>Name</th><th>Version</th><th>Stage</th><th>Format</th><th className="num">Size</th><th>Metrics</th><th>Data (UTC)</th><th>Registered (UTC)</th><th>SHA-256</th><th /></tr></thead>
          <tbody>
            {grouped.flatMap(([n, vs]) => vs.map((v, i) => (
              <tr key={v.model.id} data-model={v.model.id}>
                <td>{i === 0 ? n : ''}</td>
                <td>v{v.version}{i === 0 && <span className="badge" style={{ marginLeft: 6 }}>latest</span>}</td>
                <td data-testid="model-stage"><span className={v.stage === 'production' ? 'badge pos' : 'badge'}>{v.stage}</span></td>
                <td title={v.model.filename}>{v.model.format}</td>
                <td className="num">{kb(v.model.size_bytes)}</td>
                <td className="num wrap" style={{ textAlign: 'left' }}>{v.metrics.length ? v.metrics.map(([k, x], j) => <Fragment key={k}>{j ? ' · ' : ''}<span className="nowrap">{`${k} ${fmtNum(x, 4)}`}</span></Fragment>) : <span className="muted">—</span>}</td>
                <td className="num breakable" style={{ textAlign: 'left' }}>{range(v.model)}</td>
                <td className="num breakable" style={{ textAlign: 'left' }}>{fmtTime(v.model.created_ns)}</td>
                <td className="muted" title={v.model.sha256}>{v.model.sha256.slice(0, 12)}</td>
                <td className="row" style={{ minWidth: '9em' }}>
                  {isAdmin && <button className="small" title={`move to ${nextStage(v.stage)}`} onClick={() => void promote(v.model.id, nextStage(v.stage))}>{v.stage === 'production' ? 'Archive' : v.stage === 'archived' ? 'Restage' : 'Promote'}</button>}
                  <button className="small" onClick={() => void exportFile(v.model.id, v.model.filename)}>Export</button>
                  {isAdmin && <button className="small danger" onClick={() => setDel({ id: v.model.id, label: `${n} v${v.version}`, production: v.stage === 'production' })}>Delete</button>}
                </td>
              </tr>
            )))}
            {!grouped.length && <tr><td colSpan={10} className="empty">{models.loading ? 'Loading…' : 'No models uploaded'}</td></tr>}
          </tbody>
        </table>
        </div>
        <p className="muted" style={{ marginBottom: 0 }}>Versions of a name are numbered by the registry. A new version starts in staging; promoting one to production archives the previous production version. Promote and delete need an admin.</p>
      </div>
      {del && (
        <ConfirmDialog title={`Delete ${del.label}?`} confirmLabel="Delete" danger onClose={() => setDel(null)}
          onConfirm={async () => { await call(api.DELETE('/api/models/{model_id}', { params: { path: { model_id: del.id }, query: { force: del.production } } })); await models.reload() }}>
          <p>The file and its metadata are removed from the server.{del.production && ' This version is in production: strategies loading the production model lose it.'}</p>
        </ConfirmDialog>
      )}
    </>
  )
}
