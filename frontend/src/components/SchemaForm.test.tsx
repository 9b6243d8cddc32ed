import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { SchemaForm } from './SchemaForm'

const schema = {
  type: 'object',
  properties: {
    fast: { type: 'integer', exclusiveMinimum: 0, default: 10, title: 'Fast' },
    quantity: { anyOf: [{ type: 'number' }, { type: 'string' }], default: '1', title: 'Quantity' },
  },
}

describe('the generated strategy form', () => {
  it('sends typed parameters when every field is valid', async () => {
    const sent: Record<string, unknown>[] = []
    render(<SchemaForm schema={schema} submitLabel="Create" onSubmit={(p) => { sent.push(p) }} />)
    await userEvent.clear(screen.getByLabelText('Fast'))
    await userEvent.type(screen.getByLabelText('Fast'), '12')
    await userEvent.click(screen.getByRole('button', { name: 'Create' }))
    expect(sent).toEqual([{ fast: 12, quantity: '1' }])
  })
  it('shows the rule that is broken and sends nothing', async () => {
    const sent: unknown[] = []
    render(<SchemaForm schema={schema} submitLabel="Create" onSubmit={(p) => { sent.push(p) }} />)
    await userEvent.clear(screen.getByLabelText('Fast'))
    await userEvent.type(screen.getByLabelText('Fast'), '0')
    await userEvent.click(screen.getByRole('button', { name: 'Create' }))
    expect(screen.getByRole('alert')).toHaveTextContent('Fast must be > 0, was 0')
    expect(sent).toEqual([])
  })
  it('shows a server message under the field it names', () => {
    render(<SchemaForm schema={schema} submitLabel="Create" serverFields={{ quantity: 'quantity must be a multiple of the lot size 0.00001' }} onSubmit={() => {}} />)
    expect(screen.getByRole('alert')).toHaveTextContent('lot size 0.00001')
  })
})
