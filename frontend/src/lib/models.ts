// Model files: which extensions the server's model registry takes, the metadata the user types,
// and the registry's versions grouped by name with their numeric metrics.
import type { S } from '../api/client'

export const MODEL_EXTENSIONS = ['.onnx', '.pkl', '.pickle', '.joblib', '.pt', '.pth']

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

export interface ModelVersion { model: S<'ModelPublic'>; version: number; metrics: [string, number][]; stage: string }

/** Registry versions grouped by name (names sorted), newest version first within a name. */
export function versions(models: S<'ModelPublic'>[]): [string, ModelVersion[]][] {
  const by = new Map<string, S<'ModelPublic'>[]>()
  for (const m of models) by.set(m.name, [...(by.get(m.name) ?? []), m])
  return [...by.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, list]) => {
    const sorted = [...list].sort((a, b) => b.version - a.version)
    return [name, sorted.map((model) => ({
      model, version: model.version, stage: model.stage,
      metrics: Object.entries(model.metrics ?? {}).filter(([, v]) => typeof v === 'number' && Number.isFinite(v)) as [string, number][],
    }))]
  })
}

/** The stage a promote button moves a version to: staging → production, production → archived,
 * archived → staging. */
export function nextStage(stage: string): 'production' | 'archived' | 'staging' {
  return stage === 'production' ? 'archived' : stage === 'archived' ? 'staging' : 'production'
}
