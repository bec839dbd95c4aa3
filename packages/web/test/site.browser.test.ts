/**
 * The site in real Chromium, against the built CLI: a fast demo night (the official 2022 result), and a fresh server
 * where a commission clerk enters, is stopped by the control relations, and corrects a protocol while a public page
 * follows the count live. Screenshots go to test-artifacts/ (look at them).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en } from '../src/i18n/en.js';
import { kk } from '../src/i18n/kk.js';
import { ru } from '../src/i18n/ru.js';
import {
  ARTIFACTS,
  ELECTION,
  PASSWORD,
  latinWords,
  launchChromium,
  plain,
  requireBuild,
  seriousViolations,
  shot,
  startDemo,
  startFreshServer,
  visibleText,
  type Running,
} from './support/site.js';

interface Started {
  readonly browser: Browser;
  readonly demo: Running;
  readonly fresh: Running;
  readonly double: Running;
}
let started: Started | undefined;
const closers: (() => Promise<void>)[] = [];

/** Chromium and the three servers, started together (the demo night takes longest). */
function s(): Started {
  if (!started) throw new Error('Chromium or a server did not start');
  return started;
}

beforeAll(async () => {
  requireBuild();
  const results = await Promise.allSettled([
    launchChromium(),
    startDemo(),
    startFreshServer([
      { name: 'clerk-kz-35-01', role: 'commission', division: 'kz-35-01' },
      { name: 'observer-kz-35', role: 'observer', division: 'kz-35' },
      { name: 'cec-fresh', role: 'cec' },
      { name: 'admin-fresh', role: 'admin' },
      { name: 'clerk-spare', role: 'commission', division: 'kz-35-01' },
    ]),
    startFreshServer(
      [
        { name: 'clerk-kz-35-01-a', role: 'commission', division: 'kz-35-01' },
        { name: 'clerk-kz-35-01-b', role: 'commission', division: 'kz-35-01' },
        { name: 'chair-kz-35', role: 'commission', division: 'kz-35' },
        { name: 'cec', role: 'cec' },
      ],
      { doubleEntry: true },
    ),
  ]);
  for (const result of results) {
    if (result.status !== 'fulfilled') continue;
    const value = result.value;
    closers.push('close' in value ? () => value.close() : () => value.stop());
  }
  const [browser, demo, fresh, double] = results;
  for (const result of results) if (result.status === 'rejected') throw result.reason;
  if (browser.status === 'fulfilled' && demo.status === 'fulfilled' && fresh.status === 'fulfilled' && double.status === 'fulfilled')
    started = { browser: browser.value, demo: demo.value, fresh: fresh.value, double: double.value };
}, 300_000);

afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
}, 60_000);

const api = async (server: Running, path: string): Promise<any> => {
  const response = await fetch(`${server.url}/api/v1/elections/${ELECTION}${path}`);
  expect(response.status).toBe(200);
  return response.json();
};

async function open(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  (page as Page & { errors?: string[] }).errors = errors;
  return page;
}

const pageErrors = (page: Page) => (page as Page & { errors?: string[] }).errors ?? [];

/** Signs `name` in on `server` in a new page of `context`, and waits for the commission home page. */
async function signInPage(context: BrowserContext, server: Running, lang: 'en' | 'kk' | 'ru', name: string): Promise<Page> {
  const page = await open(context, `${server.url}/${lang}/sign-in`);
  await page.locator('#sign-in-name').fill(name);
  await page.locator('#sign-in-password').fill(PASSWORD);
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL(`${server.url}/${lang}/commission/${ELECTION}`);
  return page;
}

/** The headline as the public page shows it, once the figures are there. */
async function headline(page: Page): Promise<string> {
  await page.locator('section.headline').waitFor();
  return plain(await page.locator('section.headline').innerText());
}

/** Words of data that has no translation: the exit polls' own descriptions, as their authors registered them. */
async function untranslatedData(server: Running): Promise<Set<string>> {
  const polls = await api(server, '/exit-polls');
  return latinWords(polls.polls.map((p: { organisation: string; method: string }) => `${p.organisation} ${p.method}`).join(' '));
}

/** The page's text has no word in Latin letters except the allowed ones (the software's name, "API", data). */
async function expectNoLatinWords(page: Page, allowed: Iterable<string> = []): Promise<void> {
  const ok = new Set(['Canvass', 'API', ...allowed]);
  expect(
    [...latinWords(await visibleText(page))].filter((w) => !ok.has(w)),
    page.url(),
  ).toEqual([]);
}

/** Every string of a translation, as its literal fragments around the {{placeholders}}. */
function fragments(resource: object, min: number): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const walk = (value: unknown, key: string) => {
    if (typeof value === 'string') {
      out.set(
        key,
        value
          .split(/\{\{[^}]+\}\}/)
          .map((f) => plain(f).trim())
          .filter((f) => f.length >= min),
      );
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, key === '' ? k : `${key}.${k}`);
    }
  };
  walk(resource, '');
  return out;
}

describe('the public results after a demo night', () => {
  it('shows the official 2022 result in Kazakh, Russian and English, from at most 250 KB of JavaScript', async () => {
    const official = {
      en: [
        '81.31%',
        '69.44%',
        '5.80%',
        'Kassym-Jomart Tokayev',
        'Final result, certified by the Central Election Commission',
        '10,101 of 10,101',
      ],
      ru: [
        '81,31 %',
        '69,44 %',
        '5,80 %',
        'Касым-Жомарт Токаев',
        'Окончательные итоги, утверждённые Центральной избирательной комиссией',
        '10 101 из 10 101',
      ],
      kk: [
        '81,31%',
        '69,44%',
        '5,80%',
        'Қасым-Жомарт Тоқаев',
        'Орталық сайлау комиссиясы бекіткен түпкілікті нәтижелер',
        '10 101 ішінен 10 101',
      ],
    } as const;
    const votes = { en: '6,456,393', ru: '6 456 393', kk: '6 456 393' } as const;
    for (const lang of ['en', 'ru', 'kk'] as const) {
      const context = await s().browser.newContext({ viewport: { width: 1280, height: 900 } });
      const scripts: { url: string; gzip: number }[] = [];
      const reads: { method: string; url: string; cache: string }[] = [];
      const pending: Promise<void>[] = [];
      context.on('response', (response) => {
        const url = response.url();
        if (response.request().resourceType() === 'script')
          pending.push(
            response.body().then((body) => {
              scripts.push({ url, gzip: gzipSync(body, { level: 9 }).length });
            }),
          );
        if (url.includes('/api/') && !url.endsWith('/stream'))
          reads.push({ method: response.request().method(), url, cache: response.headers()['cache-control'] ?? '' });
      });
      const page = await open(context, `${s().demo.url}/${lang}/${ELECTION}`);
      const text = await headline(page);
      for (const expected of official[lang]) expect(text, `${lang}: ${expected}`).toContain(expected);
      const tokayev = plain(await page.locator('table.data-table tbody tr').first().innerText());
      expect(tokayev).toContain(votes[lang]);
      // The chart chunk is part of the first view: wait for it, then count every script the page loaded.
      await page.locator('canvas').first().waitFor();
      await page.locator('a.map-region').first().waitFor();
      await page.screenshot({ path: shot(`results-${lang}`), fullPage: true });
      await Promise.all(pending);
      if (lang === 'en') {
        const total = scripts.reduce((sum, s) => sum + s.gzip, 0);
        writeFileSync(join(ARTIFACTS, 'first-view-js.json'), `${JSON.stringify({ totalGzipBytes: total, scripts }, null, 2)}\n`);
        expect(total).toBeLessThanOrEqual(250 * 1024);
        expect(scripts.some((s) => s.url.includes('commission'))).toBe(false);
        // Election night: the page reads only cacheable answers (no session, nothing private).
        expect(reads.length).toBeGreaterThan(0);
        for (const read of reads) expect(read, read.url).toMatchObject({ method: 'GET', cache: expect.stringMatching(/^public/) });
      }
      expect(pageErrors(page)).toEqual([]);
      await context.close();
    }
  });

  it('changes every string when the language is switched', async () => {
    const context = await s().browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await open(context, `${s().demo.url}/en/${ELECTION}`);
    await headline(page);
    await page.locator('a.map-region').first().waitFor();
    const english = await visibleText(page);
    expect(english, 'the English page has no Cyrillic outside the language switch').not.toMatch(/[\u0400-\u04FF]/);

    // Data that has no translation (the exit polls' own descriptions) may stay as the data has it; so may the name
    // of the software and the abbreviation API.
    const allowed = new Set(['Canvass', 'API', ...(await untranslatedData(s().demo))]);
    const texts: Record<string, string> = {};
    for (const [lang, name] of [
      ['ru', 'Русский'],
      ['kk', 'Қазақша'],
    ] as const) {
      await page
        .getByRole('navigation', { name: lang === 'ru' ? 'Language' : 'Язык' })
        .getByRole('link', { name })
        .click();
      await page.waitForURL(`${s().demo.url}/${lang}/${ELECTION}`);
      await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(lang);
      // The per-region turnout table is folded away: open it, its strings count too.
      await page.locator('details.turnout-details').evaluate((details) => {
        details.setAttribute('open', '');
      });
      const text = plain(await visibleText(page));
      texts[lang] = text;
      const english = [...latinWords(text)].filter((w) => !allowed.has(w));
      expect(english, `${lang}: words in Latin letters`).toEqual([]);
      expect(text).toContain(lang === 'ru' ? 'Итоги голосования: Казахстан' : 'Дауыс беру қорытындысы: Қазақстан');
      await page.screenshot({ path: shot(`language-switch-${lang}`) });
    }
    // The choice is remembered: a link without a language opens in Kazakh now.
    await page.goto(`${s().demo.url}/${ELECTION}/kz-35`);
    await page.waitForURL(`${s().demo.url}/kk/${ELECTION}/kz-35`);
    await expect.poll(() => page.locator('h1').innerText()).toBe('Дауыс беру қорытындысы: Қарағанды облысы');
    // Kazakh and Russian share an alphabet: no Russian interface string may be left in the Kazakh page, nor the
    // other way round.
    const ruFragments = fragments(ru, 12);
    const kkFragments = fragments(kk, 12);
    for (const [key, ruParts] of ruFragments) {
      const kkParts = kkFragments.get(key) ?? [];
      for (const part of ruParts) if (!kkParts.includes(part)) expect(texts['kk'], `kk page contains ru "${key}"`).not.toContain(part);
      for (const part of kkParts) if (!ruParts.includes(part)) expect(texts['ru'], `ru page contains kk "${key}"`).not.toContain(part);
    }
    for (const [key, parts] of fragments(en, 12))
      for (const part of parts) expect(texts['ru'], `ru page contains en "${key}"`).not.toContain(part);
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });

  it('drills down from a map region to a polling station’s protocol, with permalinks and a working back button', async () => {
    const context = await s().browser.newContext({ viewport: { width: 1280, height: 900 } });
    // The site's root opens the election in the browser's language.
    const page = await open(context, `${s().demo.url}/`);
    await page.waitForURL(`${s().demo.url}/en/${ELECTION}`);
    await expect.poll(() => page.locator('a.map-region').count()).toBe(20);
    const national = page.url();

    // Keyboard: a region is a link, focusable and opened by Enter.
    await page.locator(`a.map-region[href="/en/${ELECTION}/kz-71"]`).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(`${s().demo.url}/en/${ELECTION}/kz-71`);
    await expect.poll(() => page.locator('h1').innerText()).toBe('Results: Astana');
    await page.goBack();
    await page.waitForURL(national);
    await expect.poll(() => page.locator('h1').innerText()).toBe('Results: Kazakhstan');

    // Mouse: the region's shape, then a territorial commission, then a polling station.
    await page.locator(`a.map-region[href="/en/${ELECTION}/kz-35"] path`).click();
    await page.waitForURL(`${s().demo.url}/en/${ELECTION}/kz-35`);
    await expect.poll(() => page.locator('h1').innerText()).toBe('Results: Karaganda Region');
    await expect.poll(() => page.locator('path.selected').count()).toBe(1);
    await page.getByRole('link', { name: 'Territorial commission 1', exact: true }).click();
    await page.waitForURL(`${s().demo.url}/en/${ELECTION}/kz-35-01`);
    await expect.poll(() => page.locator('h1').innerText()).toBe('Results: Territorial commission 1');
    await page.getByRole('link', { name: 'Polling station 35001', exact: true }).click();
    await page.waitForURL(`${s().demo.url}/en/${ELECTION}/kz-35-01-0001`);

    const summary = await api(s().demo, '');
    const station = await api(s().demo, '/stations/kz-35-01-0001');
    const record = station.contests[0];
    const checkProtocol = async () => {
      await expect.poll(() => page.locator('h1').innerText()).toBe('Polling station 35001');
      const protocol = page.locator('section[aria-labelledby="protocol-heading"]');
      await protocol.waitFor();
      expect(await protocol.locator('h2').innerText()).toBe(`The protocol as counted (version ${record.latest.version})`);
      const rows = await protocol.locator('tbody tr').allInnerTexts();
      const expected = [
        ...summary.protocol.lines.map(
          (l: { id: string; names: { en: string } }) => `${l.names.en}\t${record.latest.lines[l.id].toLocaleString('en-GB')}`,
        ),
        ...summary.contests[0].options.map(
          (o: { id: string; kind: string; names: { en: string } }) =>
            `${o.kind === 'against-all' ? 'Votes against all' : `Votes for ${o.names.en}`}\t${record.latest.votes[o.id].toLocaleString('en-GB')}`,
        ),
      ];
      expect(rows.map(plain)).toEqual(expected.map(plain));
      // Every public version is listed, each with its status.
      expect(await page.locator('li.version').count()).toBe(record.entries.length);
      expect(await page.locator('li.version h3').first().innerText()).toContain('Counted');
      expect(await page.locator('section[aria-labelledby="reviews-heading"]').innerText()).toContain('Version 1 accepted.');
    };
    await checkProtocol();
    await page.screenshot({ path: shot('station'), fullPage: true });
    // The URL is the permalink: a reload shows the same view.
    await page.reload();
    await checkProtocol();
    await page.goBack();
    await page.waitForURL(`${s().demo.url}/en/${ELECTION}/kz-35-01`);
    await expect.poll(() => page.locator('h1').innerText()).toBe('Results: Territorial commission 1');
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });

  it('has no serious or critical accessibility violation on the results and station pages, and fits a phone', async () => {
    const context = await s().browser.newContext({ viewport: { width: 1280, height: 900 } });
    for (const path of [`/en/${ELECTION}`, `/kk/${ELECTION}?map=turnout`, `/ru/${ELECTION}/kz-35-01-0001`]) {
      const page = await open(context, `${s().demo.url}${path}`);
      await page.locator('section.headline').waitFor();
      await page.locator('canvas').first().waitFor();
      expect(await seriousViolations(page), path).toEqual([]);
      if (!path.startsWith('/en/')) await expectNoLatinWords(page, await untranslatedData(s().demo));
      await page.close();
    }
    await context.close();

    const phone = await s().browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 2,
    });
    for (const [path, name] of [
      [`/kk/${ELECTION}`, 'phone-results-kk'],
      [`/ru/${ELECTION}/kz-35-01-0001`, 'phone-station-ru'],
    ] as const) {
      const page = await open(phone, `${s().demo.url}${path}`);
      await page.locator('section.headline').waitFor();
      await page.locator('canvas').first().waitFor();
      await page.screenshot({ path: shot(name) });
      await page.screenshot({ path: shot(`${name}-full`), fullPage: true });
      // Nothing wider than the phone: wide tables scroll inside their own box.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      expect(await seriousViolations(page), `${path} on a phone`).toEqual([]);
      await page.close();
    }
    await phone.close();
  });
});

describe('the commission screens on a fresh server', () => {
  it('stops a protocol with an arithmetic error before and after submitting, takes its correction and a turnout report, and the public page follows live', async () => {
    const context = await s().browser.newContext({ viewport: { width: 1280, height: 900 } });
    const publicPage = await open(context, `${s().fresh.url}/ru/${ELECTION}`);
    expect(await headline(publicPage)).toContain('0 из 10 101');
    // Marks this document: if the page reloaded, the mark would be gone.
    await publicPage.evaluate(() => Object.assign(window, { notReloaded: true }));

    const clerk = await signInPage(context, s().fresh, 'ru', 'clerk-kz-35-01');
    await clerk.getByRole('link', { name: 'Ввести или исправить протокол' }).click();
    await clerk.getByRole('link', { name: 'Избирательный участок № 35001', exact: true }).click();
    await clerk.waitForURL(`${s().fresh.url}/ru/commission/${ELECTION}/protocol/kz-35-01-0001`);
    await clerk.locator('form.entry-form').waitFor();

    // The paper protocol: 286 unused ballots cancelled, keyed as 280 — received ≠ issued + cancelled.
    const lines = {
      voters: 1699,
      'ballots-received': 1699,
      'ballots-issued': 1413,
      'ballots-cancelled': 280,
      'ballots-in-boxes': 1413,
      invalid: 98,
    };
    const votes = { tokayev: 1120, dairabayev: 25, abden: 20, kazhyken: 13, auesbayev: 21, tursynbekova: 33, 'against-all': 83 };
    for (const [line, value] of Object.entries(lines)) await clerk.locator(`#entry-${line}`).fill(String(value));
    for (const [option, value] of Object.entries(votes)) await clerk.locator(`#entry-votes_${option}`).fill(String(value));

    // Before anything is sent: the finding, in Russian from the rule pack, beside the lines it involves.
    const summary = await api(s().fresh, '');
    const rule = summary.protocol.rules.relations.find((r: { code: string }) => r.code === 'KZ-1');
    const message = rule.message.ru.replace('{left}', '1699').replace('{right}', '1693').replace('{difference}', '6');
    const received = clerk.locator('.entry-row[data-line="ballots-received"]');
    await expect.poll(() => received.locator('.finding-error').innerText()).toContain(message);
    for (const line of ['ballots-received', 'ballots-issued', 'ballots-cancelled'])
      expect(await clerk.locator(`.entry-row[data-line="${line}"]`).getAttribute('class'), line).toContain('has-error');
    for (const line of ['voters', 'ballots-in-boxes', 'invalid'])
      expect(await clerk.locator(`.entry-row[data-line="${line}"]`).getAttribute('class'), line).not.toContain('has-error');
    expect((await api(s().fresh, '/stations/kz-35-01-0001')).contests[0].entries).toEqual([]);
    expect(await seriousViolations(clerk), 'protocol entry with a finding').toEqual([]);
    await expectNoLatinWords(clerk);
    await clerk.screenshot({ path: shot('commission-finding-before-submit'), fullPage: true });

    await clerk.locator('form.entry-form button[type="submit"]').click();
    await clerk.locator('section.result').waitFor();
    expect(await clerk.locator('section.result').innerText()).toContain('Остановлен контрольными соотношениями');
    const stored = (await api(s().fresh, '/stations/kz-35-01-0001')).contests[0];
    expect({
      version: stored.latest.version,
      status: stored.latest.status,
      codes: stored.entries[0].findings.map((f: { code: string }) => f.code),
    }).toEqual({
      version: 1,
      status: 'rejected-by-rules',
      codes: ['KZ-1'],
    });
    await clerk.screenshot({ path: shot('commission-rejected-by-rules'), fullPage: true });
    expect(await headline(publicPage)).toContain('0 из 10 101');

    // The correction starts from version 1 and needs a reason: without one, nothing is sent.
    await expect.poll(() => clerk.locator('#entry-ballots-cancelled').inputValue()).toBe('280');
    await clerk.locator('#entry-ballots-cancelled').fill('286');
    await expect
      .poll(() => clerk.locator('.entry-summary').innerText())
      .toBe('Все строки заполнены; все контрольные соотношения выполняются.');
    await clerk.locator('form.entry-form button[type="submit"]').click();
    await expect.poll(() => clerk.locator('#entry-reason').getAttribute('aria-invalid')).toBe('true');
    expect((await api(s().fresh, '/stations/kz-35-01-0001')).contests[0].entries).toHaveLength(1);
    const reason = 'Пересчёт неиспользованных бюллетеней участковой комиссией';
    await clerk.locator('#entry-reason').fill(reason);
    await clerk.locator('form.entry-form button[type="submit"]').click();
    await clerk.locator('section.result-counted').waitFor();
    const corrected = (await api(s().fresh, '/stations/kz-35-01-0001')).contests[0];
    expect({ version: corrected.latest.version, status: corrected.latest.status, reason: corrected.entries[1].reason }).toEqual({
      version: 2,
      status: 'counted',
      reason,
    });
    await clerk.screenshot({ path: shot('commission-corrected'), fullPage: true });

    // The public page in the other tab follows the stream and refetches: 1 of 10,101 without a reload.
    await expect.poll(() => headline(publicPage), { timeout: 15_000 }).toContain('1 из 10 101');
    expect(await publicPage.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);

    // Turnout entry: a station's cumulative figure at a scheduled time; the public turnout table follows too.
    await clerk.goto(`${s().fresh.url}/ru/commission/${ELECTION}/turnout/kz-35-01-0001`);
    await clerk.locator('#turnout-at').selectOption('10:00');
    await clerk.locator('#turnout-participated').fill('400');
    await clerk.locator('form button[type="submit"]').click();
    await expect.poll(() => clerk.locator('p[role="status"]').innerText()).toBe('Записано: 400 избирателей на 10:00.');
    await expectNoLatinWords(clerk);
    await clerk.screenshot({ path: shot('commission-turnout'), fullPage: true });
    const firstTime = publicPage.locator('section[aria-labelledby="turnout-heading"] table tbody tr').first();
    // 400 of the station's 1,699 voters: 23.54 %.
    await expect.poll(async () => plain(await firstTime.innerText()), { timeout: 15_000 }).toBe('10:00 23,54 %');
    await publicPage.bringToFront();
    await publicPage.screenshot({ path: shot('public-updated-live') });
    expect([...pageErrors(publicPage), ...pageErrors(clerk)]).toEqual([]);
    await context.close();
  });

  it('records a protocol once when the answer to it is lost on the way back: the form sends it again with the same key', async () => {
    const context = await s().browser.newContext({ viewport: { width: 1280, height: 900 } });
    const clerk = await signInPage(context, s().fresh, 'en', 'clerk-kz-35-01');
    const station = 'kz-35-01-0003';
    await clerk.goto(`${s().fresh.url}/en/commission/${ELECTION}/protocol/${station}`);
    await clerk.locator('form.entry-form').waitFor();
    const registered: number = (await api(s().fresh, `/stations/${station}`)).station.registered;
    const lines = {
      voters: registered,
      'ballots-received': registered,
      'ballots-issued': 900,
      'ballots-cancelled': registered - 900,
      'ballots-in-boxes': 900,
      invalid: 40,
    };
    const votes = { tokayev: 700, dairabayev: 30, abden: 25, kazhyken: 20, auesbayev: 25, tursynbekova: 20, 'against-all': 40 };
    for (const [line, value] of Object.entries(lines)) await clerk.locator(`#entry-${line}`).fill(String(value));
    for (const [option, value] of Object.entries(votes)) await clerk.locator(`#entry-votes_${option}`).fill(String(value));
    await expect.poll(() => clerk.locator('.entry-summary').innerText()).toBe(en.entry.allGood);

    // The first request reaches the server and is committed; its answer is cut off before the browser gets it.
    const sent: { key: string | undefined; status: number | 'cut' }[] = [];
    await clerk.route(`**/api/v1/elections/${ELECTION}/protocols`, async (route) => {
      const key = route.request().headers()['idempotency-key'];
      const response = await route.fetch();
      if (sent.length === 0) {
        sent.push({ key, status: 'cut' });
        await route.abort('connectionreset');
        return;
      }
      sent.push({ key, status: response.status() });
      await route.fulfill({ response });
    });
    await clerk.locator('form.entry-form button[type="submit"]').click();
    await clerk.locator('section.result-counted').waitFor({ timeout: 15_000 });

    // Sent twice under one key; the server recognised the second and recorded one version.
    expect(sent).toHaveLength(2);
    expect(sent[0]?.key).toMatch(/^[0-9a-f]{32}$/);
    expect(sent[1]).toEqual({ key: sent[0]?.key, status: 201 });
    const stored = (await api(s().fresh, `/stations/${station}`)).contests[0];
    expect(stored.entries).toHaveLength(1);
    expect({ version: stored.latest.version, status: stored.latest.status }).toEqual({ version: 1, status: 'counted' });
    expect(pageErrors(clerk)).toEqual([]);
    await context.close();
  });

  it('shows a double-entry mismatch line by line, lets the higher commission accept, and the CEC follow the progress', async () => {
    const signIn = async (lang: 'en' | 'kk', name: string) => {
      const context = await s().browser.newContext({ viewport: { width: 1280, height: 900 } });
      return { context, page: await signInPage(context, s().double, lang, name) };
    };
    const entry = `${s().double.url}/kk/commission/${ELECTION}/protocol/kz-35-01-0002`;
    const paper = {
      lines: {
        voters: 1191,
        'ballots-received': 1191,
        'ballots-issued': 900,
        'ballots-cancelled': 291,
        'ballots-in-boxes': 900,
        invalid: 20,
      },
      votes: { tokayev: 700, dairabayev: 30, abden: 30, kazhyken: 30, auesbayev: 30, tursynbekova: 30, 'against-all': 30 },
    };
    const key = async (page: Page, lines: Record<string, number>, votes: Record<string, number>) => {
      for (const [line, value] of Object.entries(lines)) await page.locator(`#entry-${line}`).fill(String(value));
      for (const [option, value] of Object.entries(votes)) await page.locator(`#entry-votes_${option}`).fill(String(value));
      await expect.poll(() => page.locator('.entry-summary').innerText()).toBe(kk.entry.allGood);
      await page.locator('form.entry-form button[type="submit"]').click();
      await page.locator('section.result').waitFor();
      return page.locator('section.result').innerText();
    };

    const a = await signIn('kk', 'clerk-kz-35-01-a');
    await a.page.goto(entry);
    expect(await key(a.page, paper.lines, paper.votes)).toContain(kk.protocolStatus['awaiting-second-entry']);

    // The second clerk keys the paper independently: nothing of the first entry is shown or filled in.
    const b = await signIn('kk', 'clerk-kz-35-01-b');
    await b.page.goto(entry);
    await b.page.locator('form.entry-form').waitFor();
    expect(await b.page.locator('#entry-voters').inputValue()).toBe('');
    expect(plain(await b.page.locator('section[aria-labelledby="state-heading"]').innerText())).toContain('Басқа оператор бұл нұсқаны');
    const typo = await key(b.page, { ...paper.lines, invalid: 11 }, { ...paper.votes, tokayev: 709 });
    expect(typo).toContain(kk.protocolStatus['entry-mismatch']);
    const differences = b.page.locator('section.result table.differences');
    expect((await differences.locator('thead th').allInnerTexts()).map(plain)).toEqual(['Жол', '1-енгізу', 'Сіздің енгізуіңіз']);
    expect((await differences.locator('tbody tr').allInnerTexts()).map(plain)).toEqual([
      'Жарамсыз бюллетеньдер саны 20 11',
      'Қасым-Жомарт Тоқаев 700 709',
    ]);
    // The state panel shows the same mismatch after a reload (from the station's record, not only the response).
    await b.page.reload();
    await b.page.locator('.mismatch table.differences').waitFor();
    expect(await seriousViolations(b.page), 'double-entry mismatch').toEqual([]);
    await expectNoLatinWords(b.page);
    await b.page.screenshot({ path: shot('commission-double-entry-mismatch'), fullPage: true });
    expect(await key(b.page, paper.lines, paper.votes)).toContain(kk.protocolStatus.counted);

    const chair = await signIn('en', 'chair-kz-35');
    await chair.page.getByRole('link', { name: en.commission.reviewLink }).click();
    const item = chair.page.locator('li.review-item');
    await expect.poll(() => item.count()).toBe(1);
    // The station by its name, as the public pages name it.
    expect(plain(await item.locator('h2').innerText())).toBe('Polling station 35002 · version 1');
    await item.getByRole('button', { name: en.review.accept }).click();
    await expect.poll(() => chair.page.locator('p[role="status"]').innerText()).toBe('Protocol of kz-35-01-0002, version 1, accepted.');
    await expect.poll(() => item.count()).toBe(0);
    expect((await api(s().double, '/stations/kz-35-01-0002')).contests[0].latest).toMatchObject({
      version: 1,
      status: 'counted',
      accepted: true,
    });

    const cec = await signIn('en', 'cec');
    await cec.page.getByRole('link', { name: en.commission.cecLink }).click();
    const karaganda = cec.page.locator('table.progress-table tbody tr', { hasText: 'Karaganda Region' });
    // Stations, counted, missing, stopped, awaiting a second entry, mismatched, awaiting acceptance, accepted, rejected.
    await expect.poll(async () => plain(await karaganda.innerText())).toBe('Karaganda Region 642 1 641 0 0 0 0 1 0');
    expect(await seriousViolations(cec.page), 'CEC dashboard').toEqual([]);
    await cec.page.screenshot({ path: shot('commission-cec-dashboard'), fullPage: true });
    for (const session of [a, b, chair, cec]) {
      expect(pageErrors(session.page)).toEqual([]);
      await session.context.close();
    }
  });

  it('shows observers’ copies on the station page, each against the protocol that counts now', async () => {
    const station = 'kz-35-01-0007';
    // The protocol the demo night counted for this station, entered here by the clerk, and two observers' copies.
    const counted = (await api(s().demo, `/stations/${station}`)).contests[0].latest as {
      lines: Record<string, number>;
      votes: Record<string, number>;
    };
    const tokayev = counted.votes['tokayev'] ?? 0;
    const protocol = { election: ELECTION, contest: 'president', station, lines: counted.lines, votes: counted.votes };
    const signIn = async (name: string) => {
      const response = await fetch(`${s().fresh.url}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name, password: PASSWORD }),
      });
      expect(response.status).toBe(200);
      return {
        cookie: (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '',
        csrf: ((await response.json()) as { csrfToken: string }).csrfToken,
      };
    };
    const post = (who: { cookie: string; csrf: string }, path: string, body: unknown) =>
      fetch(`${s().fresh.url}/api/v1/elections/${ELECTION}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: who.cookie, 'x-csrf-token': who.csrf },
        body: JSON.stringify(body),
      });
    const clerk = await signIn('clerk-kz-35-01');
    const observer = await signIn('observer-kz-35');
    expect((await post(clerk, '/protocols', protocol)).status).toBe(201);
    expect((await post(observer, '/protocol-copies', protocol)).status).toBe(201);
    const altered = { ...protocol, votes: { ...protocol.votes, tokayev: tokayev + 10 } };
    expect((await post(observer, '/protocol-copies', altered)).status).toBe(201);

    const context = await s().browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await open(context, `${s().fresh.url}/ru/${ELECTION}/${station}`);
    const section = page.locator('section[aria-labelledby="copies-heading"]');
    await section.waitFor();
    expect(await section.locator('h2').innerText()).toBe(ru.copies.heading);
    expect((await section.locator('li.copy h3').allInnerTexts()).map(plain)).toEqual([
      'Копия 1 Совпадает с учтённым протоколом (версия 1)',
      'Копия 2 Расходится с учтённым протоколом (версия 1); различающихся строк: 1',
    ]);
    // The differing line, the copy's figure and the counted one; the public sees the observer's role, not the name.
    const row = plain(await section.locator('table.differences tbody tr').innerText());
    expect(row).toContain((tokayev + 10).toLocaleString('ru-RU').replace(/\s/g, ' '));
    expect(row).toContain(tokayev.toLocaleString('ru-RU').replace(/\s/g, ' '));
    expect(await section.innerText()).toContain('наблюдатель');
    expect(await section.innerText()).not.toContain('observer-kz-35');
    await page.screenshot({ path: shot('station-copies-ru'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
    await expectNoLatinWords(page);

    // A third copy arrives while the page is open: it appears without a reload (the stream's copies version).
    const third = { ...protocol, votes: { ...protocol.votes, tokayev: tokayev + 3 } };
    expect((await post(observer, '/protocol-copies', third)).status).toBe(201);
    await expect.poll(() => section.locator('li.copy').count(), { timeout: 10_000 }).toBe(3);
    expect(pageErrors(page)).toEqual([]);
    await context.close();

    // The CEC's dashboard lists the copies that differ from the count, the largest difference first.
    const cec = await s().browser.newContext({ viewport: { width: 1280, height: 900 } });
    const dashboard = await signInPage(cec, s().fresh, 'ru', 'cec-fresh');
    await dashboard.goto(`${s().fresh.url}/ru/commission/${ELECTION}/cec`);
    const register = dashboard.locator('section[aria-labelledby="register-heading"]');
    await register.locator('table.register-table').waitFor();
    expect(plain(await register.locator('p').first().innerText())).toBe(
      'Подано копий: 3, участков: 1. Совпадают с учтённым протоколом: 1; расходятся: 2; сравнить пока не с чем: 0.',
    );
    const rows = (await register.locator('table.register-table tbody tr').allInnerTexts()).map(plain);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain(`${station} · версия 1`);
    expect(rows[0]).toContain('Токаев: в копии');
    // Largest first: the copy 10 votes off, then the one 3 off.
    expect(await register.locator('table.register-table tbody td.num').allInnerTexts()).toEqual(['10', '3']);
    // The statistical indicators beside it: the integer-percentage test over what counts so far.
    const forensics = dashboard.locator('section[aria-labelledby="forensics-heading"]');
    await forensics.locator('table.forensics-table').waitFor();
    expect(await forensics.locator('h2').innerText()).toBe(ru.forensics.heading);
    expect(plain(await forensics.locator('p').nth(1).innerText())).toMatch(/^Лидер: Касым-Жомарт Токаев\. Рассмотрено участков: \d+;/);
    expect((await forensics.locator('tbody th').allInnerTexts()).map(plain)).toEqual([
      ru.forensics.either,
      ru.forensics.leader,
      ru.forensics.turnout,
    ]);
    await forensics.screenshot({ path: shot('commission-forensics-ru') });
    await dashboard.screenshot({ path: shot('commission-discrepancy-register-ru'), fullPage: true });
    expect(await seriousViolations(dashboard), 'discrepancy register').toEqual([]);
    // The account's name in the header is its own, not a translation.
    await expectNoLatinWords(dashboard, ['cec', 'fresh']);
    expect(pageErrors(dashboard)).toEqual([]);
    await cec.close();
  });

  it('lets an administrator disable an account with a reason, after which it cannot sign in', async () => {
    const signIn = (name: string) =>
      fetch(`${s().fresh.url}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name, password: PASSWORD }),
      });
    const before = await signIn('clerk-spare');
    expect(before.status).toBe(200);
    await before.body?.cancel();

    const context = await s().browser.newContext({ viewport: { width: 1280, height: 900 } });
    // An administrator works on no one election: signing in leads to the accounts screen (of the only election).
    const page = await open(context, `${s().fresh.url}/ru/sign-in`);
    await page.locator('#sign-in-name').fill('admin-fresh');
    await page.locator('#sign-in-password').fill(PASSWORD);
    await page.locator('form button[type="submit"]').click();
    await page.waitForURL(`${s().fresh.url}/ru/commission/${ELECTION}/accounts`);
    await page.locator('table.accounts-table').waitFor();
    expect(await page.locator('h1').innerText()).toBe(ru.accounts.heading);
    const row = page.locator('tr#account-clerk-spare');
    expect(plain(await row.locator('td.account-status').innerText())).toBe(ru.accounts.active);
    // The administrator's own row offers nothing to disable.
    expect(await page.locator('tr#account-admin-fresh form').count()).toBe(0);

    await row.locator('input').fill('ноутбук потерян в пути');
    await row.locator('button[type="submit"]').click();
    await expect
      .poll(async () => plain(await row.locator('td.account-status').innerText()), { timeout: 10_000 })
      .toBe(ru.accounts.disabled);
    expect(plain(await page.locator('p[role="status"]').innerText())).toBe('Учётная запись clerk-spare отключена.');
    await page.screenshot({ path: shot('commission-accounts-ru'), fullPage: true });
    expect(await seriousViolations(page), 'accounts').toEqual([]);
    await expectNoLatinWords(page, ['admin', 'fresh', 'clerk', 'spare', 'cec', 'observer', 'kz']);
    expect(pageErrors(page)).toEqual([]);
    await context.close();

    const after = await signIn('clerk-spare');
    expect(after.status).toBeGreaterThanOrEqual(400);
    expect(after.status).toBeLessThan(500);
    await after.body?.cancel();
  });
});
