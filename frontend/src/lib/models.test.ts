import { describe, expect, it } from 'vitest'
import { checkModelFile, nextStage, parseMeta, versions } from './models'

const m = (name: string, version: number, metrics: Record<string, unknown> = {}, stage = 'staging') => ({
  id: `${name}@${version}`, name, version, filename: `${name}-v${version}.onnx`, format: 'onnx', stage, size_bytes: 10, sha256: 'x',
  metrics, data_start_ns: null, data_end_ns: null, feature_names: ['a'], classes: [0, 1], algorithm: '', source: '', meta: {}, created_ns: version,
})

describe('model uploads', () => {
  it('takes the formats the server loads and refuses others before sending', () => {
    expect(checkModelFile('clf.ONNX', 10)).toBeNull()
    expect(checkModelFile('clf.pt', 10)).toBeNull()
    expect(checkModelFile('clf.exe', 10)).toMatch(/must end in one of .onnx/)
    expect(checkModelFile('clf.txt', 10)).toMatch(/must end in one of/)
    expect(checkModelFile('clf.pkl', 0)).toBe('model file is empty')
  })
  it('reads metadata as a JSON object and says why it is not one', () => {
    expect(parseMeta('')).toEqual({ meta: {} })
    expect(parseMeta('{"auc": 0.61}')).toEqual({ meta: { auc: 0.61 } })
    expect(parseMeta('[1]')).toEqual({ error: 'metadata must be a JSON object, was an array' })
    expect('error' in parseMeta('{auc')).toBe(true)
  })
  it('groups registry versions by name, newest first, with their numeric metrics and stage', () => {
    const list = versions([m('dir', 2, { auc: 0.6, note: 'x' }, 'production'), m('dir', 1, { accuracy: 0.55 }), m('alpha', 1)])
    expect(list.map(([n]) => n)).toEqual(['alpha', 'dir'])
    const dir = list[1][1]
    expect(dir.map((v) => [v.model.id, v.version, v.stage])).toEqual([['dir@2', 2, 'production'], ['dir@1', 1, 'staging']])
    expect(dir[0].metrics).toEqual([['auc', 0.6]])
    expect(dir[1].metrics).toEqual([['accuracy', 0.55]])
  })
  it('promotes staging to production and archives a production version', () => {
    expect(nextStage('staging')).toBe('production')
    expect(nextStage('production')).toBe('archived')
    expect(nextStage('archived')).toBe('staging')
  })
})
