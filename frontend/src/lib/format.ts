// Number and time formatting for a trading screen: fixed decimals, thousands separators, signs on
// P&L, and a CSS class that colors gains green and losses red. Money arrives from the API as
// decimal strings; they are formatted from the string so no digit is lost to float rounding.

export type Numeric = string | number | null | undefined

const GROUP = /\B(?=(\d{3})+(?!\d))/g

/** Parse an API decimal (string or number); null when absent or not a number. */
export function toNumber(v: Numeric): number | null {
  if (v === null || v === undefined || v === '') return null
  const n = typeof v === 'number' ? v : Number(v)
  return Number.isFinite(n) ? n : null
}

/** Round a decimal string to `dp` places, half away from zero, without going through a float. */
export function roundDecimalString(s: string, dp: number): string {
  let str = s.trim()
  let neg = false
  if (str.startsWith('-')) { neg = true; str = str.slice(1) } else if (str.startsWith('+')) str = str.slice(1)
  if (/e/i.test(str)) str = Number(str).toFixed(Math.max(dp, 20)).replace(/0+$/, '')
  let [int, frac = ''] = str.split('.')
  int = int.replace(/^0+(?=\d)/, '') || '0'
  if (frac.length > dp) {
    const roundUp = frac.charCodeAt(dp) - 48 >= 5
    frac = frac.slice(0, dp)
    if (roundUp) {
      const digits = (int + frac).split('').map(Number)
      let i = digits.length - 1
      while (i >= 0) {
        if (digits[i] === 9) { digits[i] = 0; i-- } else { digits[i]++; break }
      }
      if (i < 0) digits.unshift(1)
      const all = digits.join('')
      int = all.slice(0, all.length - dp) || '0'
      frac = all.slice(all.length - dp)
    }
  } else frac = frac.padEnd(dp, '0')
  const isZero = /^0*$/.test(int + frac)
  const body = dp > 0 ? `${int}.${frac}` : int
  return neg && !isZero ? `-${body}` : body
}

function group(fixed: string): string {
  const neg = fixed.startsWith('-')
  const [int, frac] = (neg ? fixed.slice(1) : fixed).split('.')
  const g = int.replace(GROUP, ',')
  return (neg ? '-' : '') + (frac !== undefined ? `${g}.${frac}` : g)
}

/** A fixed-point number with thousands separators: fmtNum('1234.5', 2) → "1,234.50". */
export function fmtNum(v: Numeric, dp = 2): string {
  if (v === null || v === undefined || v === '') return '—'
  const s = typeof v === 'number' ? (Number.isFinite(v) ? v.toFixed(Math.min(dp + 6, 20)) : '') : v
  if (s === '' || !/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s.trim())) return '—'
  return group(roundDecimalString(s, dp))
}

/** Money with its currency code: fmtMoney('100000', 'USDT') → "100,000.00 USDT". */
export function fmtMoney(v: Numeric, currency?: string, dp = 2): string {
  const n = fmtNum(v, dp)
  return currency && n !== '—' ? `${n} ${currency}` : n
}

/** Signed value for P&L: "+12.30", "-4.00", "0.00". */
export function fmtSigned(v: Numeric, dp = 2): string {
  const n = fmtNum(v, dp)
  if (n === '—') return n
  return n.startsWith('-') || /^[0.,]+$/.test(n) ? n : `+${n}`
}

/** A fraction as a percentage: fmtPct(0.0512) → "5.12%"; signed adds "+" to gains. */
export function fmtPct(v: Numeric, dp = 2, signed = false): string {
  const n = toNumber(v)
  if (n === null) return '—'
  const s = fmtNum(n * 100, dp)
  return `${signed && n > 0 && s !== fmtNum(0, dp) ? '+' : ''}${s}%`
}

/** Quantity with only as many decimals as it needs (up to `maxDp`), grouped. */
export function fmtQty(v: Numeric, maxDp = 8): string {
  const n = fmtNum(v, maxDp)
  if (n === '—' || !n.includes('.')) return n
  return n.replace(/\.?0+$/, '')
}

/** CSS class for a P&L value: "pos" for gains, "neg" for losses, "flat" for zero or missing. */
export function pnlClass(v: Numeric): 'pos' | 'neg' | 'flat' {
  const n = toNumber(v)
  if (n === null || n === 0) return 'flat'
  return n > 0 ? 'pos' : 'neg'
}

/** Time from int UTC nanoseconds, epoch ms/s or an ISO string, shown in UTC: "2026-12-01 17:47:06". */
export function fmtTime(v: string | number | null | undefined): string {
  const d = toDate(v)
  if (!d) return '—'
  return d.toISOString().replace('T', ' ').slice(0, 19)
}

/** Convert the API's time values to a Date: ns/µs/ms/s integers are told apart by magnitude. */
export function toDate(v: string | number | null | undefined): Date | null {
  if (v === null || v === undefined || v === '') return null
  if (typeof v === 'string' && !/^\d+$/.test(v)) {
    const d = new Date(v)
    return Number.isNaN(d.getTime()) ? null : d
  }
  const n = Number(v)
  if (!Number.isFinite(n)) return null
  const ms = n > 1e17 ? n / 1e6 : n > 1e14 ? n / 1e3 : n > 1e11 ? n : n * 1e3
  return new Date(ms)
}

/** Seconds since the epoch (what lightweight-charts wants) from any of the API's time values. */
export function toUnixSeconds(v: string | number): number {
  const d = toDate(v)
  return d ? Math.floor(d.getTime() / 1000) : 0
}
