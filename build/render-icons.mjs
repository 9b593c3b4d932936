// Renders build/icon.svg to the PNGs electron-builder packs (build/icon.png, build/icons/NxN.png)
// with Debian's Chromium through Playwright, so no image tool is needed: `node build/render-icons.mjs`.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from '@playwright/test'

const here = path.dirname(fileURLToPath(import.meta.url))
const svg = fs.readFileSync(path.join(here, 'icon.svg'), 'utf8')
const browser = await chromium.launch({
  executablePath: process.env.SLUICE_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
})
try {
  for (const size of [16, 32, 48, 64, 128, 256, 512, 1024]) {
    const page = await browser.newPage({ viewport: { width: size, height: size } })
    await page.setContent(
      `<html><body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg style="display:block;width:${size}px;height:${size}px" `)}</body></html>`,
    )
    const out = size === 1024 ? path.join(here, 'icon.png') : path.join(here, 'icons', `${size}x${size}.png`)
    await page.screenshot({ path: out, omitBackground: true })
    await page.close()
  }
} finally {
  await browser.close()
}
