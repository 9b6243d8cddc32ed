import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it } from 'vitest'
import { ConfirmDialog } from './ConfirmDialog'

describe('the confirmation step', () => {
  it('keeps the action disabled until the word is typed, then runs it and closes', async () => {
    const done: string[] = []
    render(<ConfirmDialog title="Engage?" confirmLabel="Engage" typeToConfirm="KILL" onConfirm={() => { done.push('engaged') }} onClose={() => done.push('closed')} />)
    const button = screen.getByRole('button', { name: 'Engage' })
    expect(button).toBeDisabled()
    await userEvent.type(screen.getByLabelText('confirmation'), 'kil')
    expect(button).toBeDisabled()
    await userEvent.type(screen.getByLabelText('confirmation'), 'l')
    await userEvent.click(button)
    expect(done).toEqual(['engaged', 'closed'])
  })
  it('stays open and shows the server\'s refusal', async () => {
    const done: string[] = []
    render(<ConfirmDialog title="Release?" confirmLabel="Release" onConfirm={() => { throw new Error('only an admin can release the kill switch') }} onClose={() => done.push('closed')} />)
    await userEvent.click(screen.getByRole('button', { name: 'Release' }))
    expect(screen.getByRole('alert')).toHaveTextContent('only an admin can release the kill switch')
    expect(done).toEqual([])
  })
})
