// Model files: which extensions the server takes, the metadata the user types, and the version
// list (uploads sharing a name, oldest = v1) with the metrics kept in their metadata.
import type { S } from '../api/client'

export const MODEL_EXTENSIONS = ['.onnx', '.pkl', '.pickle', '.joblib', '.pt', '.pth', '.json', '.txt', '.ubj']

/** Problem with a chosen file, or null. */
export function checkModelFile(name: string, size: number, maxMb = 200): string | null {
  const dot = name.lastIndexOf('.')
  const ext = dot >= 0 ? name.slice(dot).toLowerCase() : ''
  if (!MODEL_EXTENSIONS.includes(ext)) return `model file must end in one of ${MODEL_EXTENSIONS.join(', ')}, was "${name}"`
  if (size === 0) return 'model file is empty'
  if (size > maxMb * 1024 * 1024) return `model file exceeds ${maxMb} MB`
  return null
}

/** The metadata text as a JSON object, or the reason it is not one. */
export function parseMeta(text: string): { meta: Record<string, unknown> } | { error: string } {
  if (!text.trim()) return { meta: {} }
  try {
    const v: unknown = JSON.parse(text)
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return { error: `metadata must be a JSON object, was ${Array.isArray(v) ? 'an array' : typeof v}` }
    return { meta: v as Record<string, unknown> }
  } catch (e) {
    return { error: `metadata is not valid JSON: ${e instanceof Error ? e.message : String(e)}` }
  }
}

export interface ModelVersion { model: S<'ModelPublic'>; version: number; metrics: [string, number][]; promoted: boolean }

/** Uploads grouped by name, newest version first within a name; names sorted. */
export function versions(models: S<'ModelPublic'>[]): [string, ModelVersion[]][] {
  const by = new Map<string, S<'ModelPublic'>[]>()
  for (const m of models) by.set(m.name, [...(by.get(m.name) ?? []), m])
  return [...by.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, list]) => {
    const sorted = [...list].sort((a, b) => a.created_ns - b.created_ns)
    const out = sorted.map((model, i) => {
      const meta = model.meta ?? {}
      const src = (typeof meta.metrics === 'object' && meta.metrics !== null ? meta.metrics : meta) as Record<string, unknown>
      const metrics = Object.entries(src).filter(([, v]) => typeof v === 'number' && Number.isFinite(v)) as [string, number][]
      return { model, version: i + 1, metrics, promoted: meta.stage === 'production' || meta.promoted === true }
    })
    return [name, out.reverse()]
  })
}
