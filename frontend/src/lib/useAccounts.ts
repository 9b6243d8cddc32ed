import { useState } from 'react'
import { api, call } from '../api/client'
import { useLoad } from './useLoad'

/** The accounts and the one the page is looking at (the first, until the user picks another). */
export function useAccounts() {
  const accounts = useLoad(() => call(api.GET('/api/accounts')), [])
  const [picked, setPicked] = useState<string | null>(null)
  const accountId = picked ?? accounts.data?.[0]?.id ?? null
  return { accounts, accountId, setAccountId: setPicked }
}
