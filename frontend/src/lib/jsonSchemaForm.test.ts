import { describe, expect, it } from 'vitest'
import { fieldsFromSchema, initialValues, toParams, validateAll, type JsonSchema } from './jsonSchemaForm'

// The shape pydantic's model_json_schema() writes for a strategy's parameters.
const smaCross: JsonSchema = {
  title: 'SmaCrossParams',
  type: 'object',
  properties: {
    fast: { type: 'integer', exclusiveMinimum: 0, default: 10, title: 'Fast', description: 'fast window' },
    slow: { type: 'integer', exclusiveMinimum: 0, default: 30, title: 'Slow' },
    quantity: { anyOf: [{ type: 'number' }, { type: 'string', pattern: '^(?!^[-+.]*$)[+-]?0*\\d*\\.?\\d*$' }], default: '1', title: 'Quantity' },
    side: { $ref: '#/$defs/Side', default: 'long' },
    stop: { anyOf: [{ type: 'number', minimum: 0 }, { type: 'null' }], default: null, title: 'Stop' },
    symbol: { type: 'string', title: 'Symbol', minLength: 3 },
    trail: { type: 'boolean', default: false, title: 'Trail' },
  },
  required: ['symbol'],
  $defs: { Side: { enum: ['long', 'short', 'both'], title: 'Side', type: 'string' } },
}

describe('fields from a JSON Schema', () => {
  const fields = fieldsFromSchema(smaCross)
  const by = Object.fromEntries(fields.map((f) => [f.name, f]))

  it('keeps the declared order and titles', () => {
    expect(fields.map((f) => f.name)).toEqual(['fast', 'slow', 'quantity', 'side', 'stop', 'symbol', 'trail'])
    expect(by.fast.label).toBe('Fast')
    expect(by.fast.description).toBe('fast window')
  })
  it('reads pydantic Decimal (number or string) as an exact decimal field', () => {
    expect(by.quantity.kind).toBe('decimal')
  })
  it('resolves $ref enums into a select with options', () => {
    expect(by.side.kind).toBe('enum')
    expect(by.side.options).toEqual(['long', 'short', 'both'])
  })
  it('marks Optional fields nullable and keeps their bounds', () => {
    expect(by.stop.nullable).toBe(true)
    expect(by.stop.kind).toBe('number')
    expect(by.stop.minimum).toBe(0)
  })
  it('starts each input at its default', () => {
    expect(initialValues(fields)).toEqual({ fast: '10', slow: '30', quantity: '1', side: 'long', stop: '', symbol: '', trail: false })
  })
  it('starts from the current parameters when editing', () => {
    expect(initialValues(fields, { fast: 5 }).fast).toBe('5')
  })
})

describe('browser validation', () => {
  const fields = fieldsFromSchema(smaCross)
  const ok = { ...initialValues(fields), symbol: 'BTC/USDT' }

  it('accepts valid input', () => {
    expect(validateAll(fields, ok)).toEqual({})
  })
  it('names the rule and the value for a bound that is broken', () => {
    expect(validateAll(fields, { ...ok, fast: '0' })).toEqual({ fast: 'Fast must be > 0, was 0' })
    expect(validateAll(fields, { ...ok, stop: '-1' }).stop).toBe('Stop must be ≥ 0, was -1')
  })
  it('refuses a fraction in an integer field and text in a number field', () => {
    expect(validateAll(fields, { ...ok, slow: '2.5' }).slow).toMatch(/whole number, was "2.5"/)
    expect(validateAll(fields, { ...ok, quantity: 'abc' }).quantity).toMatch(/must be a number/)
  })
  it('requires required fields that have no default', () => {
    expect(validateAll(fields, { ...ok, symbol: '' }).symbol).toBe('Symbol is required')
    expect(validateAll(fields, { ...ok, symbol: 'BT' }).symbol).toMatch(/at least 3/)
  })
  it('refuses a value outside an enum', () => {
    expect(validateAll(fields, { ...ok, side: 'sideways' }).side).toMatch(/one of long, short, both/)
  })
})

describe('typed parameters', () => {
  const fields = fieldsFromSchema(smaCross)
  it('sends integers as numbers, decimals as exact strings and leaves empty optionals out', () => {
    const values = { ...initialValues(fields), symbol: 'BTC/USDT', quantity: '0.10000000000000001', trail: true }
    expect(toParams(fields, values)).toEqual({ fast: 10, slow: 30, quantity: '0.10000000000000001', side: 'long', symbol: 'BTC/USDT', trail: true })
  })
})
