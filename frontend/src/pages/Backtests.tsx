export function Backtests() {
  return <h1>Backtests</h1>
}
