import { useCallback, useEffect, useRef, useState } from 'react'

export interface Loaded<T> { data: T | undefined; error: unknown; loading: boolean; reload: () => Promise<void> }

/** Load data when the deps change (and every `pollMs` if given); keeps the last good data while
 * reloading so tables don't flash. */
export function useLoad<T>(fn: () => Promise<T>, deps: unknown[], pollMs?: number): Loaded<T> {
  const [data, setData] = useState<T>()
  const [error, setError] = useState<unknown>(null)
  const [loading, setLoading] = useState(true)
  const fnRef = useRef(fn)
  fnRef.current = fn
  const seq = useRef(0)
  const reload = useCallback(async () => {
    const mine = ++seq.current
    setLoading(true)
    try {
      const d = await fnRef.current()
      if (mine === seq.current) { setData(d); setError(null) }
    } catch (e) {
      if (mine === seq.current) setError(e)
    } finally {
      if (mine === seq.current) setLoading(false)
    }
  }, [])
  useEffect(() => {
    void reload()
    if (!pollMs) return
    const t = setInterval(() => void reload(), pollMs)
    return () => clearInterval(t)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps)
  return { data, error, loading, reload }
}

/** Run `fn` a moment after `trigger` last changed (coalesces bursts of live events). */
export function useDebounced(fn: () => void, trigger: unknown, ms = 300): void {
  const fnRef = useRef(fn)
  fnRef.current = fn
  const first = useRef(true)
  useEffect(() => {
    if (first.current) { first.current = false; return }
    const t = setTimeout(() => fnRef.current(), ms)
    return () => clearTimeout(t)
  }, [trigger, ms])
}
