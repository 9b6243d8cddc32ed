export function Strategies() {
  return <h1>Strategies</h1>
}
