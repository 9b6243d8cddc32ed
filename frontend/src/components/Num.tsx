import { fmtMoney, fmtNum, fmtPct, fmtQty, fmtSigned, pnlClass, type Numeric } from '../lib/format'

interface Props {
  v: Numeric
  dp?: number
  /** color by sign and show "+" on gains */
  pnl?: boolean
  pct?: boolean
  qty?: boolean
  currency?: string
}

/** A number as a trading screen shows it: aligned digits, and P&L in green or red. */
export function Num({ v, dp = 2, pnl, pct, qty, currency }: Props) {
  let text: string
  if (pct) text = fmtPct(v, dp, pnl)
  else if (qty) text = fmtQty(v)
  else if (pnl) text = fmtSigned(v, dp) + (currency ? ` ${currency}` : '')
  else text = fmtMoney(v, currency, dp)
  return <span className={`num ${pnl ? pnlClass(v) : ''}`}>{text}</span>
}

export { fmtNum }
