// Turn a strategy's declared parameters (the JSON Schema pydantic writes) into form fields, coerce
// what the user typed into typed values, and check them against the schema's rules before the
// request goes out. The server validates again; its message is shown when it still says no.
// (A hand-written checker rather than a schema compiler: those build code with `new Function`,
// which the API's Content-Security-Policy rightly forbids.)

export interface JsonSchema {
  type?: string | string[]
  title?: string
  description?: string
  default?: unknown
  enum?: unknown[]
  const?: unknown
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  exclusiveMaximum?: number
  minLength?: number
  maxLength?: number
  pattern?: string
  properties?: Record<string, JsonSchema>
  required?: string[]
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
  allOf?: JsonSchema[]
  $ref?: string
  $defs?: Record<string, JsonSchema>
  definitions?: Record<string, JsonSchema>
  items?: JsonSchema
}

export type FieldKind = 'integer' | 'number' | 'decimal' | 'string' | 'boolean' | 'enum'

export interface FieldSpec {
  name: string
  label: string
  kind: FieldKind
  required: boolean
  nullable: boolean
  description?: string
  default?: unknown
  options?: string[]
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  exclusiveMaximum?: number
  minLength?: number
  maxLength?: number
  pattern?: string
}

export type FormValues = Record<string, string | boolean>
export type FieldErrors = Record<string, string>

function resolve(s: JsonSchema, root: JsonSchema): JsonSchema {
  if (s.$ref) {
    const name = s.$ref.split('/').pop() ?? ''
    const target = root.$defs?.[name] ?? root.definitions?.[name]
    if (target) return { ...resolve(target, root), ...withoutRef(s) }
  }
  if (s.allOf && s.allOf.length === 1) return { ...resolve(s.allOf[0], root), ...withoutKey(s, 'allOf') }
  return s
}
const withoutRef = (s: JsonSchema) => withoutKey(s, '$ref')
function withoutKey(s: JsonSchema, k: keyof JsonSchema): JsonSchema {
  const c = { ...s }
  delete c[k]
  return c
}

function humanize(name: string): string {
  const s = name.replace(/_/g, ' ')
  return s.charAt(0).toUpperCase() + s.slice(1)
}

/** The form fields for an object schema, in declaration order. */
export function fieldsFromSchema(schema: JsonSchema): FieldSpec[] {
  const root = schema
  const obj = resolve(schema, root)
  const required = new Set(obj.required ?? [])
  return Object.entries(obj.properties ?? {}).map(([name, raw]) => {
    let s = resolve(raw, root)
    let nullable = false
    const alts = s.anyOf ?? s.oneOf
    if (alts) {
      const nonNull = alts.map((a) => resolve(a, root)).filter((a) => a.type !== 'null')
      nullable = nonNull.length < alts.length
      // Decimal in pydantic: anyOf [number, string(pattern)] — a decimal field.
      const types = new Set(nonNull.map((a) => a.type))
      if (types.has('number') && types.has('string')) {
        const num = nonNull.find((a) => a.type === 'number') ?? {}
        s = { ...num, ...withoutKey(withoutKey(s, 'anyOf'), 'oneOf'), type: 'decimal' }
      } else if (nonNull.length >= 1) {
        s = { ...nonNull[0], ...withoutKey(withoutKey(s, 'anyOf'), 'oneOf') }
      }
    }
    const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type
    if (Array.isArray(s.type) && s.type.includes('null')) nullable = true
    let kind: FieldKind = 'string'
    if (s.enum) kind = 'enum'
    else if (type === 'integer') kind = 'integer'
    else if (type === 'number') kind = 'number'
    else if (type === 'decimal') kind = 'decimal'
    else if (type === 'boolean') kind = 'boolean'
    return {
      name,
      label: s.title ?? raw.title ?? humanize(name),
      kind,
      required: required.has(name),
      nullable,
      description: s.description ?? raw.description,
      default: raw.default ?? s.default,
      options: s.enum?.map(String),
      minimum: s.minimum,
      maximum: s.maximum,
      exclusiveMinimum: s.exclusiveMinimum,
      exclusiveMaximum: s.exclusiveMaximum,
      minLength: s.minLength,
      maxLength: s.maxLength,
      pattern: s.pattern,
    }
  })
}

/** The starting values of the form: each field's default, as the input shows it. */
export function initialValues(fields: FieldSpec[], current?: Record<string, unknown>): FormValues {
  const out: FormValues = {}
  for (const f of fields) {
    const v = current && f.name in current ? current[f.name] : f.default
    if (f.kind === 'boolean') out[f.name] = v === true
    else out[f.name] = v === undefined || v === null ? '' : String(v)
  }
  return out
}

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/

/** Check one field; returns the message to show, or null when it is fine. */
export function validateField(f: FieldSpec, raw: string | boolean): string | null {
  if (f.kind === 'boolean') return null
  const v = String(raw).trim()
  if (v === '') {
    return f.required && f.default === undefined && !f.nullable ? `${f.label} is required` : null
  }
  if (f.kind === 'integer' || f.kind === 'number' || f.kind === 'decimal') {
    if (f.kind === 'integer' ? !/^[+-]?\d+$/.test(v) : !DECIMAL.test(v)) {
      return `${f.label} must be ${f.kind === 'integer' ? 'a whole number' : 'a number'}, was "${v}"`
    }
    const n = Number(v)
    if (f.minimum !== undefined && n < f.minimum) return `${f.label} must be ≥ ${f.minimum}, was ${v}`
    if (f.maximum !== undefined && n > f.maximum) return `${f.label} must be ≤ ${f.maximum}, was ${v}`
    if (f.exclusiveMinimum !== undefined && n <= f.exclusiveMinimum) {
      return `${f.label} must be > ${f.exclusiveMinimum}, was ${v}`
    }
    if (f.exclusiveMaximum !== undefined && n >= f.exclusiveMaximum) {
      return `${f.label} must be < ${f.exclusiveMaximum}, was ${v}`
    }
    return null
  }
  if (f.kind === 'enum' && f.options && !f.options.includes(v)) {
    return `${f.label} must be one of ${f.options.join(', ')}, was "${v}"`
  }
  if (f.minLength !== undefined && v.length < f.minLength) {
    return `${f.label} must have at least ${f.minLength} characters`
  }
  if (f.maxLength !== undefined && v.length > f.maxLength) {
    return `${f.label} must have at most ${f.maxLength} characters`
  }
  if (f.pattern && !new RegExp(f.pattern).test(v)) return `${f.label} does not match ${f.pattern}`
  return null
}

/** Every field's problem, keyed by field name (empty when the form can be sent). */
export function validateAll(fields: FieldSpec[], values: FormValues): FieldErrors {
  const errs: FieldErrors = {}
  for (const f of fields) {
    const m = validateField(f, values[f.name] ?? '')
    if (m) errs[f.name] = m
  }
  return errs
}

/** The typed parameter object to send: numbers as numbers, decimals as strings (exact), empty
 * optional fields left out so the server applies its default. */
export function toParams(fields: FieldSpec[], values: FormValues): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const f of fields) {
    const raw = values[f.name]
    if (f.kind === 'boolean') { out[f.name] = raw === true; continue }
    const v = String(raw ?? '').trim()
    if (v === '') { if (f.nullable && f.required) out[f.name] = null; continue }
    if (f.kind === 'integer') out[f.name] = parseInt(v, 10)
    else if (f.kind === 'number') out[f.name] = Number(v)
    else out[f.name] = v
  }
  return out
}
