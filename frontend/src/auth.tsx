import { createContext, useContext, useEffect, useState, type ReactNode } from 'react'
import { api, call, type S } from './api/client'
import { getTokens, onTokens, setTokens } from './api/session'

interface Auth {
  me: S<'MePublic'> | null
  signedIn: boolean
  login: (username: string, password: string) => Promise<void>
  logout: () => Promise<void>
  isAdmin: boolean
  canTrade: boolean
}

const AuthContext = createContext<Auth>(null as unknown as Auth)

export function AuthProvider({ children }: { children: ReactNode }) {
  const [signedIn, setSignedIn] = useState(() => getTokens() !== null)
  const [me, setMe] = useState<S<'MePublic'> | null>(null)
  useEffect(() => onTokens((t) => { setSignedIn(t !== null); if (!t) setMe(null) }), [])
  useEffect(() => {
    if (!signedIn) return
    call(api.GET('/api/auth/me')).then(setMe, () => { /* a refused token signs out by itself */ })
  }, [signedIn])
  const value: Auth = {
    me,
    signedIn,
    isAdmin: me?.role === 'admin',
    canTrade: me?.role === 'admin' || me?.role === 'trader',
    login: async (username, password) => {
      const t = await call(api.POST('/api/auth/login', { body: { username, password } }))
      setTokens({ ...t, username })
    },
    logout: async () => {
      await api.POST('/api/auth/logout').catch(() => undefined)
      setTokens(null)
    },
  }
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>
}

export const useAuth = () => useContext(AuthContext)
