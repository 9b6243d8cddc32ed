// The dashboard against a real `aitrader up` (started by scripts/e2e.sh with a temp SQLite
// database and a fast simulated feed). One signed-in page walks through every flow in order;
// each flow leaves a screenshot in tests/e2e/output/ for a reviewer.
import { expect, test, type Page } from '@playwright/test'
import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const OUT = join(dirname(fileURLToPath(import.meta.url)), 'output')
mkdirSync(OUT, { recursive: true })
const USER = process.env.AITRADER_E2E_USER ?? 'e2e-admin'
const PASSWORD = process.env.AITRADER_E2E_PASSWORD ?? 'e2e-password-123'

test.describe.configure({ mode: 'serial' })
let page: Page
let firstToken = ''
let signedInAt = 0
const TOKEN_TTL_S = Number(process.env.AITRADER_E2E_TOKEN_TTL_S ?? 0)
const accessToken = () => page.evaluate(() => JSON.parse(localStorage.getItem('aitrader.session') ?? '{}').access_token as string)
const shot = (name: string) => page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true })
const go = async (label: string) => {
  await page.getByRole('navigation').getByRole('link', { name: label, exact: true }).click()
  await expect(page.getByRole('heading', { level: 1 }).first()).toContainText(label)
}
const equityText = () => page.getByTestId('equity').locator('.value .num').innerText()

test.beforeAll(async ({ browser }) => {
  page = await browser.newPage()
  page.on('pageerror', (e) => console.log('page error:', e.message))
})
test.afterAll(async () => { await page.close() })

test('a wrong password is refused with the server\'s message, the right one signs in', async () => {
  await page.goto('/')
  await page.fill('input[name=username]', USER)
  await page.fill('input[name=password]', 'not-the-password')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('alert')).toContainText(/invalid|incorrect|wrong|credentials/i)
  await shot('00-login-refused')
  await page.fill('input[name=password]', PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible()
  await expect(page.getByTestId('stream-status')).toHaveText('live')
  firstToken = await accessToken()
  signedInAt = Date.now()
  await shot('01-login-dashboard')
})

test('the paper account\'s equity updates live over the websocket', async () => {
  // Hold a position so every new bar moves the equity (a market buy through the REST API).
  const token = await accessToken()
  const res = await page.request.post('/api/orders', {
    headers: { Authorization: `Bearer ${token}`, 'Idempotency-Key': `e2e-equity-${Date.now()}` },
    data: { account_id: 'paper', instrument_id: 'BTC/USDT@SIM', side: 'BUY', order_type: 'MARKET', quantity: '0.5' },
  })
  expect(res.status(), await res.text()).toBe(201)
  await expect(page.getByTestId('positions')).toContainText('BTC/USDT@SIM', { timeout: 20_000 })
  const first = await equityText()
  await expect.poll(equityText, { timeout: 20_000 }).not.toBe(first)
  const second = await equityText()
  await expect.poll(equityText, { timeout: 20_000 }).not.toBe(second)
  await expect(page.getByTestId('equity-chart').locator('canvas').first()).toBeVisible()
  await expect(page.getByTestId('pnl-total').locator('.value .num')).toHaveClass(/pos|neg|flat/)
  await shot('02-equity-live')
})

test('after a reload the equity chart starts with the history recorded before it', async () => {
  const token = await accessToken()
  const res = await page.request.get('/api/accounts/paper/equity', { headers: { Authorization: `Bearer ${token}` } })
  expect(res.status(), await res.text()).toBe(200)
  const recorded = (await res.json()) as { ts: number; equity: string }[]
  expect(recorded.length).toBeGreaterThan(3) // the running engine wrote snapshots (and one per fill)
  const seconds = [...new Set(recorded.map((p) => Math.floor(p.ts / 1e9)))]
  await page.reload()
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible()
  const chart = page.getByTestId('equity-chart')
  // the curve begins where the recorded history begins, not at the reload, and holds every
  // recorded second (live points only add newer ones)
  await expect.poll(async () => Number(await chart.getAttribute('data-first-time'))).toBe(seconds[0])
  await expect.poll(async () => Number(await chart.getAttribute('data-points'))).toBeGreaterThanOrEqual(seconds.length)
  await expect(page.getByTestId('equity-points')).toContainText(/\d+ recorded/)
  await expect(chart.locator('canvas').first()).toBeVisible()
  await shot('02b-equity-history-after-reload')
})

test('a strategy is created from its type\'s form, checked in the browser and on the server, and started', async () => {
  await go('Strategies')
  const form = page.getByTestId('create-strategy')
  // the first type in the list is not necessarily sma_cross (more strategies were registered)
  await form.locator('select[name=type]').selectOption('sma_cross')
  await form.locator('input[name=strategy-id]').fill('e2e-sma')
  await form.getByLabel('Fast').fill('0')
  await form.getByRole('button', { name: 'Create strategy' }).click()
  await expect(form.getByRole('alert').first()).toHaveText('Fast must be ≥ 1, was 0')
  await form.getByLabel('Fast').fill('5')
  await form.getByLabel('Slow').fill('20')
  await form.getByLabel('Quantity').fill('0.01')
  await form.getByLabel('Start now').uncheck()
  await form.getByRole('button', { name: 'Create strategy' }).click()
  const row = page.locator('tr[data-strategy="e2e-sma"]')
  await expect(row.getByTestId('strategy-status')).toHaveText('stopped')
  // the same id again: the server's refusal is shown as it said it
  await form.locator('input[name=strategy-id]').fill('e2e-sma')
  await form.getByRole('button', { name: 'Create strategy' }).click()
  await expect(form.getByRole('alert').last()).toContainText('already in use')
  await row.getByRole('button', { name: 'Start' }).click()
  await expect(row.getByTestId('strategy-status')).toHaveText('running')
  await shot('03a-strategy-created-started')
  await row.getByRole('button', { name: 'Edit' }).click()
  const edit = page.getByTestId('edit-strategy')
  await expect(edit.getByLabel('Slow')).toHaveValue('20')
  await edit.getByLabel('Slow').fill('25')
  await edit.getByRole('button', { name: 'Save parameters' }).click()
  await expect(row.getByTestId('strategy-params')).toContainText('slow=25')
  await row.getByRole('button', { name: 'Stop' }).click()
  await expect(row.getByTestId('strategy-status')).toHaveText('stopped')
  await row.getByRole('button', { name: 'Start' }).click()
  await expect(row.getByTestId('strategy-status')).toHaveText('running')
  await shot('03b-strategy-edited')
})

test('an order is placed from the ticket and cancelled from the history', async () => {
  await go('Orders')
  const ticket = page.getByTestId('order-ticket')
  // a quantity off the instrument's lot: the server's message is shown
  await ticket.locator('input[name=quantity]').fill('0.000001')
  await ticket.getByRole('button', { name: /^Buy/ }).last().click()
  await expect(ticket.getByRole('alert')).toContainText(/lot|quantity/i)
  await ticket.locator('select[name=order_type]').selectOption('LIMIT')
  await ticket.locator('input[name=quantity]').fill('0.01')
  await ticket.locator('input[name=price]').fill('1000')
  await ticket.getByRole('button', { name: /^Buy 0.01/ }).click()
  const ok = ticket.getByRole('status')
  await expect(ok).toContainText(/Order \S+ (accepted|submitted)/i)
  const id = (await ok.innerText()).match(/Order (\S+)/)![1]
  const row = page.locator(`tr[data-order="${id}"]`)
  await expect(row).toContainText('ACCEPTED')
  await expect(row).toContainText('1,000.00')
  await shot('04a-order-placed')
  await row.getByRole('button', { name: 'Cancel' }).click()
  await expect(row).toContainText('CANCELED')
  await shot('04b-order-cancelled')
})

test('the kill switch asks for confirmation, cancels working orders, halts trading, and an admin releases it', async () => {
  await go('Orders')
  const resting = page.getByTestId('order-ticket')
  await resting.locator('select[name=order_type]').selectOption('LIMIT')
  await resting.locator('input[name=quantity]').fill('0.01')
  await resting.locator('input[name=price]').fill('1000')
  await resting.getByRole('button', { name: /^Buy 0.01/ }).click()
  await expect(resting.getByRole('status')).toContainText(/accepted|submitted/i)
  await go('Dashboard')
  await expect(page.getByTestId('working-orders')).toContainText('1,000.00')
  await page.getByRole('button', { name: 'Kill switch' }).click()
  const dialog = page.getByRole('dialog')
  const engage = dialog.getByRole('button', { name: 'Engage kill switch' })
  await expect(engage).toBeDisabled()
  await dialog.getByLabel('reason').fill('e2e drill')
  await dialog.getByLabel('confirmation').fill('KILL')
  await engage.click()
  await expect(page.getByTestId('breaker-state')).toHaveText('TRADING HALTED')
  await expect(page.getByTestId('halt-reason')).toContainText('e2e drill')
  await expect(page.getByTestId('working-orders')).toContainText('No working orders')
  await shot('05a-kill-switch-engaged')
  // a manual order is now refused, and the reason is shown
  await go('Orders')
  const ticket = page.getByTestId('order-ticket')
  await ticket.locator('select[name=order_type]').selectOption('MARKET')
  await ticket.locator('input[name=quantity]').fill('0.01')
  await ticket.getByRole('button', { name: /^Buy 0.01/ }).click()
  await expect(ticket.locator('.alert')).toContainText(/denied|halt|kill/i)
  await shot('05b-order-refused-while-halted')
  await go('Dashboard')
  await page.getByRole('button', { name: 'Release kill switch' }).click()
  await page.getByRole('dialog').getByRole('button', { name: 'Release' }).click()
  await expect(page.getByTestId('breaker-state')).toHaveText('trading enabled')
})

test('a model file is uploaded, validated by the registry, listed with its metrics and promoted', async () => {
  const modelPath = process.env.AITRADER_E2E_MODEL
  if (!modelPath) throw new Error('AITRADER_E2E_MODEL (a real .onnx made by tests/e2e/make_model.py) is not set; run scripts/e2e.sh')
  await go('Models')
  const up = page.getByTestId('model-upload')
  // garbage bytes named .onnx: the server sniffs the content and says why it refuses
  await up.locator('input[name=model-file]').setInputFiles({ name: 'direction.onnx', mimeType: 'application/octet-stream', buffer: Buffer.from('e2e model bytes') })
  await up.locator('input[name=model-name]').fill('direction')
  await up.getByRole('button', { name: 'Upload' }).click()
  await expect(up.getByRole('alert')).toContainText('direction.onnx')
  await expect(up.getByRole('alert')).toContainText(/onnx/i)
  await shot('06a-model-garbage-refused')
  // a real ONNX model carrying its own metadata (features, classes, metrics)
  await up.locator('input[name=model-file]').setInputFiles(modelPath)
  await up.locator('textarea[name=model-meta]').fill('{}')
  await up.getByRole('button', { name: 'Upload' }).click()
  await expect(up.getByRole('status')).toContainText('Uploaded direction v1')
  const table = page.getByTestId('models')
  const row = table.locator('tr[data-model="direction@1"]')
  await expect(row).toContainText('onnx')
  await expect(row).toContainText('auc 0.6120')
  await expect(row).toContainText('v1')
  await expect(row.getByTestId('model-stage')).toHaveText('staging')
  await row.getByRole('button', { name: 'Promote' }).click()
  await expect(row.getByTestId('model-stage')).toHaveText('production')
  // at 1366 px the registry fits the page: long metrics wrap, the table scrolls in its panel
  const pageOverflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
  await expect.poll(pageOverflow).toBeLessThanOrEqual(0)
  const registryOverflow = () => page.getByTestId('models-scroll').evaluate((el) => el.scrollWidth - el.clientWidth)
  await expect.poll(registryOverflow).toBeLessThanOrEqual(0) // every column, the buttons too, without scrolling
  // a file type the server does not load is refused before it is sent
  await up.locator('input[name=model-file]').setInputFiles({ name: 'notes.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('x') })
  await up.getByRole('button', { name: 'Upload' }).click()
  await expect(up.getByRole('alert')).toContainText('must end in one of')
  await shot('06-model-uploaded')
})

test('a backtest is submitted, runs, and its report opens', async () => {
  await go('Backtests')
  const form = page.getByTestId('backtest-form')
  await form.locator('select[name=bt-strategy]').selectOption('sma_cross')
  await form.locator('input[name=bt-bars]').fill('1500')
  await form.getByLabel('Fast').fill('5')
  await form.getByLabel('Slow').fill('20')
  await form.getByLabel('Quantity').fill('0.1')
  await form.getByRole('button', { name: 'Run backtest' }).click()
  const report = page.getByTestId('backtest-report')
  await expect(report).toBeVisible()
  await expect(report).toContainText('Net P&L', { timeout: 45_000 })
  await expect(report).toContainText('1500 bars')
  await expect(page.getByTestId('backtest-trades').locator('tbody tr').first()).toBeVisible()
  await shot('07a-backtest-report')
  await page.getByRole('link', { name: '← all backtests' }).click()
  await expect(page.getByTestId('backtests')).toContainText('done')
  await shot('07b-backtest-list')
})

test('the markets page charts candles with the strategies\' trades and says when there is no book', async () => {
  await go('Markets')
  await expect(page.getByTestId('candle-chart').locator('canvas').first()).toBeVisible()
  await expect(page.getByTestId('depth')).toContainText(/No L2 book|Price/)
  await page.waitForTimeout(1500)
  await shot('08-markets')
})

test('accounts show balances and health, and broker secrets never come back', async () => {
  await go('Accounts')
  await expect(page.getByTestId('health')).toContainText('running')
  const form = page.getByTestId('connect-broker')
  await form.locator('input[name=cred-name]').fill('e2e-binance')
  await form.locator('input[name=cred-key]').fill('KEY-e2e-visible-nowhere')
  await form.locator('input[name=cred-secret]').fill('SECRET-e2e-visible-nowhere')
  await form.getByRole('button', { name: 'Save credentials' }).click()
  await expect(form.getByRole('status')).toContainText('Saved e2e-binance')
  await expect(page.getByTestId('credentials')).toContainText('e2e-binance')
  await expect(page.locator('body')).not.toContainText('visible-nowhere')
  await expect(form.locator('input[name=cred-secret]')).toHaveValue('')
  await shot('09-accounts')
})

test('settings show the risk limits, users and API keys, and link to the API docs', async () => {
  await go('Settings')
  await expect(page.getByTestId('risk-limits')).toContainText('max positions')
  await expect(page.getByTestId('users')).toContainText(USER)
  await expect(page.getByRole('link', { name: /API docs/ })).toHaveAttribute('href', '/docs')
  await shot('10-settings')
})

test('an expired access token is refreshed behind the scenes, without signing out', async () => {
  test.skip(!TOKEN_TTL_S || TOKEN_TTL_S > 40, 'needs a short AITRADER_ACCESS_TOKEN_TTL_S (scripts/e2e.sh sets 30 s)')
  const wait = signedInAt + (TOKEN_TTL_S + 2) * 1000 - Date.now()
  if (wait > 0) await page.waitForTimeout(wait)
  await go('Orders')
  await expect(page.getByTestId('orders')).toContainText('FILLED')
  expect(await accessToken()).not.toBe(firstToken)
  await expect(page.getByRole('button', { name: 'Sign in' })).toHaveCount(0)
})

test('a viewer added by the admin sees the numbers but gets no trading controls', async ({ browser }) => {
  await go('Settings')
  const users = page.getByTestId('users')
  await users.getByLabel('new username').fill('e2e-viewer')
  await users.getByLabel('new password').fill('viewer-password-123')
  await users.getByLabel('new role').selectOption('viewer')
  await users.getByRole('button', { name: 'Add user' }).click()
  await expect(users).toContainText('e2e-viewer')
  const viewer = await browser.newPage()
  try {
    await viewer.goto('/')
    await viewer.fill('input[name=username]', 'e2e-viewer')
    await viewer.fill('input[name=password]', 'viewer-password-123')
    await viewer.getByRole('button', { name: 'Sign in' }).click()
    await expect(viewer.getByText('e2e-viewer · viewer')).toBeVisible()
    await expect(viewer.getByRole('button', { name: 'Kill switch' })).toBeDisabled()
    await expect(viewer.getByTestId('equity').locator('.value .num')).not.toHaveText('—')
    await viewer.getByRole('navigation').getByRole('link', { name: 'Orders', exact: true }).click()
    await expect(viewer.getByTestId('orders')).toBeVisible()
    await expect(viewer.getByTestId('order-ticket')).toHaveCount(0)
    await expect(viewer.getByRole('button', { name: 'Cancel' })).toHaveCount(0)
    await viewer.screenshot({ path: join(OUT, '11-viewer-read-only.png'), fullPage: true })
  } finally {
    await viewer.close()
  }
})
