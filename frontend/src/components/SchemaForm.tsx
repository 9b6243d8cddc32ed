import { useMemo, useState } from 'react'
import { fieldsFromSchema, initialValues, toParams, validateAll, validateField, type FieldErrors, type FormValues, type JsonSchema } from '../lib/jsonSchemaForm'

interface Props {
  schema: JsonSchema
  current?: Record<string, unknown>
  submitLabel: string
  /** field errors the server sent back (by parameter name) */
  serverFields?: Record<string, string>
  onSubmit: (params: Record<string, unknown>) => Promise<void> | void
  disabled?: boolean
}

/** A form generated from a JSON Schema: one input per parameter, checked as the user types and
 * again before sending; the server's per-field messages appear under the fields they name. */
export function SchemaForm({ schema, current, submitLabel, serverFields, onSubmit, disabled }: Props) {
  const fields = useMemo(() => fieldsFromSchema(schema), [schema])
  const [values, setValues] = useState<FormValues>(() => initialValues(fields, current))
  const [errors, setErrors] = useState<FieldErrors>({})
  const [touched, setTouched] = useState<Record<string, boolean>>({})

  const set = (name: string, v: string | boolean) => {
    setValues((old) => ({ ...old, [name]: v }))
    const f = fields.find((x) => x.name === name)
    if (f) setErrors((old) => { const m = validateField(f, v); const n = { ...old }; if (m) n[name] = m; else delete n[name]; return n })
    setTouched((t) => ({ ...t, [name]: true }))
  }

  return (
    <form
      noValidate
      onSubmit={async (e) => {
        e.preventDefault()
        const errs = validateAll(fields, values)
        setErrors(errs)
        setTouched(Object.fromEntries(fields.map((f) => [f.name, true])))
        if (Object.keys(errs).length === 0) await onSubmit(toParams(fields, values))
      }}
    >
      <div className="form">
        {fields.map((f) => {
          const err = (touched[f.name] && errors[f.name]) || serverFields?.[f.name]
          const id = `param-${f.name}`
          if (f.kind === 'boolean') {
            return (
              <label key={f.name} className="check" title={f.description}>
                <input id={id} type="checkbox" checked={values[f.name] === true} onChange={(e) => set(f.name, e.target.checked)} />
                {f.label}
              </label>
            )
          }
          return (
            <label key={f.name} className="field" htmlFor={id}>
              <span>{f.label}{f.required && f.default === undefined ? ' *' : ''}</span>
              {f.kind === 'enum' ? (
                <select id={id} name={f.name} value={String(values[f.name])} onChange={(e) => set(f.name, e.target.value)}>
                  {!f.required && <option value="">—</option>}
                  {f.options?.map((o) => <option key={o} value={o}>{o}</option>)}
                </select>
              ) : (
                <input
                  id={id}
                  name={f.name}
                  className={err ? 'invalid' : ''}
                  inputMode={f.kind === 'string' ? 'text' : 'decimal'}
                  value={String(values[f.name] ?? '')}
                  placeholder={f.nullable ? 'none' : undefined}
                  aria-invalid={err ? true : undefined}
                  onChange={(e) => set(f.name, e.target.value)}
                />
              )}
              {f.description && <span className="hint">{f.description}</span>}
              {err && <span className="err" role="alert">{err}</span>}
            </label>
          )
        })}
      </div>
      <div className="row" style={{ marginTop: 10 }}>
        <button className="primary" type="submit" disabled={disabled}>{submitLabel}</button>
      </div>
    </form>
  )
}
