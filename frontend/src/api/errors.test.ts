import { describe, expect, it } from 'vitest'
import { ApiError, describeError } from './errors'

describe('server error messages', () => {
  it('shows a plain detail string as it is', () => {
    expect(describeError(409, { detail: 'kill switch is active: new orders refused' }).message).toBe('kill switch is active: new orders refused')
  })
  it('joins FastAPI validation items with their field and keeps them per field', () => {
    const body = { detail: [{ loc: ['body', 'quantity'], msg: 'Input should be greater than 0', type: 'greater_than' }] }
    const d = describeError(422, body)
    expect(d.message).toBe('quantity: Input should be greater than 0')
    expect(d.fields).toEqual({ quantity: 'Input should be greater than 0' })
  })
  it('shows the API\'s {code, detail, errors} body by its detail and keeps the fields', () => {
    const body = { code: 'validation_error', detail: 'body.quantity: Input should be greater than 0', errors: [{ loc: ['body', 'quantity'], msg: 'Input should be greater than 0', type: 'greater_than' }] }
    const e = new ApiError(422, body)
    expect(e.message).toBe('body.quantity: Input should be greater than 0')
    expect(e.fields).toEqual({ quantity: 'Input should be greater than 0' })
  })
  it('reads an {error: {message}} envelope', () => {
    expect(new ApiError(400, { error: { code: 'bad', message: 'unknown strategy type "x"' } }).message).toBe('unknown strategy type "x"')
  })
  it('falls back to the status when the body says nothing', () => {
    expect(describeError(502, null).message).toBe('request failed (HTTP 502)')
  })
})
