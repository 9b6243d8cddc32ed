import { describe, expect, it } from 'vitest'
import { checkModelFile, parseMeta, versions } from './models'

const m = (id: string, name: string, created_ns: number, meta: Record<string, unknown> = {}) => ({
  id, name, filename: `${id}.onnx`, format: 'onnx', size_bytes: 10, sha256: 'x', meta, uploaded_by: 1, created_ns,
})

describe('model uploads', () => {
  it('takes the formats the server loads and refuses others before sending', () => {
    expect(checkModelFile('clf.ONNX', 10)).toBeNull()
    expect(checkModelFile('clf.pt', 10)).toBeNull()
    expect(checkModelFile('clf.exe', 10)).toMatch(/must end in one of .onnx/)
    expect(checkModelFile('clf.pkl', 0)).toBe('model file is empty')
  })
  it('reads metadata as a JSON object and says why it is not one', () => {
    expect(parseMeta('')).toEqual({ meta: {} })
    expect(parseMeta('{"auc": 0.61}')).toEqual({ meta: { auc: 0.61 } })
    expect(parseMeta('[1]')).toEqual({ error: 'metadata must be a JSON object, was an array' })
    expect('error' in parseMeta('{auc')).toBe(true)
  })
  it('numbers the uploads of a name as versions, newest first, with their numeric metrics', () => {
    const list = versions([m('b', 'dir', 2, { metrics: { auc: 0.6, note: 'x' } }), m('a', 'dir', 1, { accuracy: 0.55 }), m('c', 'alpha', 3)])
    expect(list.map(([n]) => n)).toEqual(['alpha', 'dir'])
    const dir = list[1][1]
    expect(dir.map((v) => [v.model.id, v.version])).toEqual([['b', 2], ['a', 1]])
    expect(dir[0].metrics).toEqual([['auc', 0.6]])
    expect(dir[1].metrics).toEqual([['accuracy', 0.55]])
  })
})
