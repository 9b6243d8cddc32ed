import { useState, type ReactNode } from 'react'

interface Props {
  title: string
  children?: ReactNode
  confirmLabel: string
  /** when set, the user must type this word before the confirm button works */
  typeToConfirm?: string
  danger?: boolean
  onConfirm: () => Promise<void> | void
  onClose: () => void
}

/** A modal that asks before doing something that cannot be taken back. */
export function ConfirmDialog({ title, children, confirmLabel, typeToConfirm, danger, onConfirm, onClose }: Props) {
  const [typed, setTyped] = useState('')
  const [busy, setBusy] = useState(false)
  const [err, setErr] = useState<string | null>(null)
  const ready = !typeToConfirm || typed.trim().toUpperCase() === typeToConfirm.toUpperCase()
  return (
    <div className="modal-back" onClick={onClose}>
      <div className="modal" role="dialog" aria-label={title} onClick={(e) => e.stopPropagation()}>
        <h3>{title}</h3>
        <div style={{ marginBottom: 10 }}>{children}</div>
        {typeToConfirm && (
          <label className="field">Type {typeToConfirm} to confirm
            <input aria-label="confirmation" value={typed} onChange={(e) => setTyped(e.target.value)} autoFocus />
          </label>
        )}
        {err && <div className="alert" role="alert">{err}</div>}
        <div className="row end" style={{ marginTop: 12 }}>
          <button onClick={onClose}>Cancel</button>
          <button
            className={danger ? 'danger' : 'primary'}
            disabled={!ready || busy}
            onClick={async () => {
              setBusy(true); setErr(null)
              try { await onConfirm(); onClose() } catch (e) { setErr(e instanceof Error ? e.message : String(e)) } finally { setBusy(false) }
            }}
          >{confirmLabel}</button>
        </div>
      </div>
    </div>
  )
}
