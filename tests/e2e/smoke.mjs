// quick look during development: node smoke.mjs /path1 /path2 ... (screenshots in output/)
import { chromium } from '@playwright/test'
const paths = process.argv.slice(2)
const base = process.env.AITRADER_E2E_URL ?? 'http://127.0.0.1:18482'
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] })
const p = await b.newPage({ viewport: { width: Number(process.env.VW ?? 1440), height: Number(process.env.VH ?? 900) } })
p.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') console.log('console:', m.text()) })
p.on('response', (r) => { if (r.status() >= 400) console.log('HTTP', r.status(), r.url()) })
p.on('pageerror', (e) => console.log('pageerror:', e.message))
await p.goto(base + '/')
await p.fill('input[name=username]', 'admin')
await p.fill('input[name=password]', process.env.PW ?? 'admin-pass-123')
await p.click('button[type=submit]')
await p.waitForSelector('.side')
for (const path of paths) {
  await p.click(`nav a[href="${path}"]`)
  await p.waitForTimeout(Number(process.env.WAIT ?? 2500))
  const out = `output/smoke${path.replace(/\//g, '_') || '_'}.png`
  await p.screenshot({ path: out, fullPage: true })
  console.log('saved', out)
}
await b.close()
