// quick look during development: node smoke.mjs PATH OUT
import { chromium } from '@playwright/test'
const [path = '/', out = 'output/smoke.png'] = process.argv.slice(2)
const base = process.env.AITRADER_E2E_URL ?? 'http://127.0.0.1:18482'
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] })
const p = await b.newPage({ viewport: { width: 1440, height: 900 } })
p.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') console.log('console:', m.text()) })
p.on('pageerror', (e) => console.log('pageerror:', e.message))
await p.goto(base + '/')
await p.fill('input[name=username]', 'admin')
await p.fill('input[name=password]', process.env.PW ?? 'admin-pass-123')
await p.click('button[type=submit]')
await p.waitForSelector('.side')
await p.goto(base + path)
await p.waitForTimeout(Number(process.env.WAIT ?? 4000))
await p.screenshot({ path: out, fullPage: true })
await b.close()
console.log('saved', out)
