import { NavLink, Navigate, Route, Routes } from 'react-router-dom'
import { useAuth } from './auth'
import { LiveProvider, useLive } from './live/LiveProvider'
import { Accounts } from './pages/Accounts'
import { Backtests } from './pages/Backtests'
import { Dashboard } from './pages/Dashboard'
import { Login } from './pages/Login'
import { Markets } from './pages/Markets'
import { Models } from './pages/Models'
import { Orders } from './pages/Orders'
import { Settings } from './pages/Settings'
import { Strategies } from './pages/Strategies'

const NAV = [
  ['/', 'Dashboard'], ['/markets', 'Markets'], ['/strategies', 'Strategies'], ['/orders', 'Orders'],
  ['/models', 'Models'], ['/backtests', 'Backtests'], ['/accounts', 'Accounts'], ['/settings', 'Settings'],
] as const

function StreamStatus() {
  const live = useLive()
  const label = { open: 'live', connecting: 'connecting', closed: 'disconnected' }[live.status]
  return <span data-testid="stream-status"><span className={`dot ${live.status}`} />{label}</span>
}

function Shell() {
  const { me, logout } = useAuth()
  return (
    <div className="shell">
      <aside className="side">
        <div className="brand">ai<span>trader</span></div>
        <nav>{NAV.map(([to, label]) => <NavLink key={to} to={to} end={to === '/'}>{label}</NavLink>)}</nav>
        <div className="foot">
          <div><StreamStatus /></div>
          <div style={{ margin: '6px 0' }}>{me ? `${me.username} · ${me.role}` : '…'}</div>
          <button className="small" onClick={() => void logout()}>Sign out</button>
        </div>
      </aside>
      <main className="main">
        <Routes>
          <Route path="/" element={<Dashboard />} />
          <Route path="/markets" element={<Markets />} />
          <Route path="/strategies" element={<Strategies />} />
          <Route path="/orders" element={<Orders />} />
          <Route path="/models" element={<Models />} />
          <Route path="/backtests" element={<Backtests />} />
          <Route path="/backtests/:runId" element={<Backtests />} />
          <Route path="/accounts" element={<Accounts />} />
          <Route path="/settings" element={<Settings />} />
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
      </main>
    </div>
  )
}

export function App() {
  const { signedIn } = useAuth()
  if (!signedIn) return <Login />
  return <LiveProvider><Shell /></LiveProvider>
}
