import { asContestId, asDivisionId, asOptionId, type ContestId, type DivisionId } from '@canvass/core';
import { unzlibSync } from 'fflate';
import { PDFParse } from 'pdf-parse';
import QRCode from 'qrcode';
import { describe, expect, test } from 'vitest';
import type { PublicationInput } from '../publish/publication-input.js';
import { kz2022PublicationInput, publicationInputFromProtocols } from '../publish/reference-input.js';
import { TINY_ELECTION, TINY_PROTOCOLS } from '../publish/tiny-election.js';
import { formatCount, formatInstant } from './format.js';
import { LABELS } from './labels.js';
import { outcomeWords, renderResultProtocol } from './render-result-protocol.js';

const MANIFEST = '3f'.repeat(8) + '0123456789abcdef'.repeat(3);
const kz = kz2022PublicationInput();
const president = asContestId('president');

async function pdfText(pdf: Uint8Array): Promise<string> {
  const parser = new PDFParse({ data: pdf.slice() });
  try {
    return (await parser.getText()).text.replace(/\s+/g, ' ');
  } finally {
    await parser.destroy();
  }
}

const render = (input: PublicationInput, division: string, lang: 'kk' | 'ru' | 'en', contest: ContestId = president) =>
  renderResultProtocol(input, contest, asDivisionId(division), lang, { manifestHash: MANIFEST });

describe('renderResultProtocol (KZ 2022, national)', () => {
  test.each([
    [
      'en',
      [
        'Presidential election, 20 November 2022 Results protocol',
        'Contest: President of the Republic of Kazakhstan',
        'Division: Kazakhstan (kz)',
        'Status: Preliminary results, all polling stations counted',
        'Polling stations reported: 10 101 of 10 101',
        'Voters on the lists of these stations: 100.00 % of 11 953 465',
        'Voters who received ballots (took part) 8 300 046',
        'Invalid ballots 359 568',
        'Turnout 69.44 %',
        'Valid ballots 7 940 478',
        '1. Kassym-Jomart Tokayev Self-nominated (People’s coalition) 6 456 393 81.31',
        '6. Saltanat Tursynbekova Kazakh Women’s Union 168 731 2.12',
        '7. Against all 460 484 5.80',
        'Outcome Elected: Kassym-Jomart Tokayev',
        'Synthetic data: Synthetic station-level data',
        'Produced 2022-11-21 10:00:00 Asia/Almaty (2022-11-21T04:00:00.000Z)',
        'Page 1 of 1',
      ],
    ],
    [
      'ru',
      [
        'Выборы Президента, 20 ноября 2022 года Протокол об итогах голосования',
        'Выборы: Президент Республики Казахстан',
        'Статус: Предварительные итоги, подсчитаны все участки',
        'Поступили данные участков: 10 101 из 10 101',
        'Число недействительных бюллетеней 359 568',
        'Явка 69.44 %',
        '1. Касым-Жомарт Токаев Самовыдвижение (народная коалиция) 6 456 393 81.31',
        '7. Против всех 460 484 5.80',
        'Итог Избран(а): Касым-Жомарт Токаев',
        'Синтетические данные: Синтетические данные участков',
        'Сформировано 2022-11-21 10:00:00 Asia/Almaty',
        'Страница 1 из 1',
      ],
    ],
    [
      'kk',
      [
        'Президент сайлауы, 2022 жылғы 20 қараша Дауыс беру қорытындылары туралы хаттама',
        'Сайлау: Қазақстан Республикасының Президенті',
        'Аумақ: Қазақстан (kz)',
        'Мәртебесі: Алдын ала қорытындылар, барлық учаске саналды',
        'Деректері түскен учаскелер: 10 101 ішінен 10 101',
        'Жарамсыз бюллетеньдер саны 359 568',
        'Сайлаушылардың қатысуы 69.44 %',
        '1. Қасым-Жомарт Тоқаев Өзін-өзі ұсынған (халық коалициясы) 6 456 393 81.31',
        '7. Барлығына қарсы 460 484 5.80',
        'Қорытынды Сайланды: Қасым-Жомарт Тоқаев',
        'Синтетикалық деректер: Учаскелердің синтетикалық деректері',
        '1 беттің 1-беті',
      ],
    ],
  ] as const)('%s: every label, figure and name in that language', async (lang, phrases) => {
    const text = await pdfText(await render(kz, 'kz', lang));
    for (const phrase of phrases) expect(text).toContain(phrase);
    expect(text).toContain(kz.ledgerHead.hash);
    expect(text).toContain(`${kz.ledgerHead.seq}`);
    expect(text).toContain(MANIFEST);
    // Names come from the chosen language only.
    const others = { en: ['Токаев', 'Тоқаев'], ru: ['Tokayev', 'Тоқаев'], kk: ['Tokayev', 'Токаев'] }[lang];
    for (const name of others) expect(text).not.toContain(name);
  });

  test('the status wording follows the results status', async () => {
    const certified = { ...kz, status: () => 'certified' as const };
    expect(await pdfText(await render(certified, 'kz', 'en'))).toContain('Status: Final results, certified');
    expect(await pdfText(await render(certified, 'kz', 'ru'))).toContain('Статус: Окончательные итоги, утверждены');
    expect(await pdfText(await render(certified, 'kz', 'kk'))).toContain('Мәртебесі: Түпкілікті қорытындылар, бекітілді');
  });

  test('the QR code encodes the manifest hash', async () => {
    const parser = new PDFParse({ data: (await render(kz, 'kz', 'en')).slice() });
    const images = (await parser.getImage({ imageBuffer: true })).pages.flatMap((p) => p.images);
    await parser.destroy();
    expect(images).toHaveLength(1);
    const image = images[0];
    if (!image) throw new Error('no image');
    const { width, height, dark } = decodePng(image.data);
    const qr = QRCode.create(MANIFEST, { errorCorrectionLevel: 'M' });
    const size = qr.modules.size;
    // Rendered with a margin of 1 module at 4 px per module.
    expect([width, height]).toEqual([(size + 2) * 4, (size + 2) * 4]);
    const modules: boolean[] = [];
    for (let r = 0; r < size; r++) for (let c = 0; c < size; c++) modules.push(dark((c + 1) * 4 + 2, (r + 1) * 4 + 2));
    expect(modules).toEqual(Array.from(qr.modules.data, (bit) => bit === 1));
  });

  test('without a manifest hash there is no QR code, and the protocol says so', async () => {
    const pdf = await renderResultProtocol(kz, president, asDivisionId('kz'), 'en');
    expect(await pdfText(pdf)).toContain('Not part of a published snapshot: there is no manifest hash.');
    const parser = new PDFParse({ data: pdf.slice() });
    expect((await parser.getImage()).pages.flatMap((p) => p.images)).toEqual([]);
    await parser.destroy();
  });
});

describe('renderResultProtocol (below the contest’s division)', () => {
  test('a region: its own figures, and the outcome left to the whole contest', async () => {
    const region = kz.tally.results(asDivisionId('kz-35'), { status: () => 'unofficial-complete' })?.contests[0];
    const text = await pdfText(await render(kz, 'kz-35', 'en'));
    expect(text).toContain('Division: Karaganda Region (kz-35)');
    expect(text).toContain(`Polling stations reported: 642 of 642`);
    expect(text).toContain(`${formatCount(region?.options[0]?.votes ?? -1)} ${region?.options[0]?.percent ?? ''}`);
    expect(text).toContain('The outcome is decided for the whole contest (Kazakhstan, kz).');
  });

  test('a polling station: the lines of its own protocol', async () => {
    const protocol = kz.counted.get(`president\u0000kz-35-01-0001`)?.protocol;
    const text = await pdfText(await render(kz, 'kz-35-01-0001', 'ru'));
    expect(text).toContain('Поступили данные участков: 1 из 1');
    expect(text).toContain(`Число избирателей, внесённых в списки ${formatCount(protocol?.lines['voters' as never] ?? -1)}`);
    expect(text).toContain(
      `Касым-Жомарт Токаев Самовыдвижение (народная коалиция) ${formatCount(protocol?.votes['tokayev' as never] ?? -1)}`,
    );
  });
});

describe('renderResultProtocol (tiny election)', () => {
  const tiny = publicationInputFromProtocols(TINY_ELECTION, TINY_PROTOCOLS, {
    now: new Date('2030-03-03T15:00:00Z'),
    ledgerHead: { seq: 6, hash: 'cd'.repeat(32) },
  });

  test('a runoff and a partial count, in words', async () => {
    const text = await pdfText(await render(tiny, 'c', 'en'));
    expect(text).toContain('Status: Preliminary results, count in progress');
    expect(text).toContain('Polling stations reported: 4 of 5');
    expect(text).toContain('No candidate has the required majority; second round between Ann and Bob');
    const kk = await pdfText(await render(tiny, 'c', 'kk'));
    expect(kk).toContain('қайта дауыс беру: Әнна және Боб');
  });

  test('a contest in part of the country, and what is not there', async () => {
    expect(await pdfText(await render(tiny, 'r1', 'en', asContestId('mayor-r1')))).toContain('Elected: Xia');
    await expect(render(tiny, 'r2', 'en', asContestId('mayor-r1'))).rejects.toThrow(/does not take part/);
    await expect(render(tiny, 'nowhere', 'en')).rejects.toThrow(RangeError);
    await expect(render(tiny, 'c', 'en', asContestId('senate'))).rejects.toThrow(/no contest "senate"/);
    await expect(renderResultProtocol(tiny, president, 'c' as DivisionId, 'en', { manifestHash: 'not-hex' })).rejects.toThrow(/SHA-256/);
  });
});

describe('outcomeWords', () => {
  const names: Record<string, string> = { a: 'Amanat', b: 'Auyl', c: 'Respublica' };
  const name = (id: string) => names[id] ?? id;
  test('seats, ties and no votes', () => {
    expect(outcomeWords(LABELS.en, { kind: 'seats', seats: { a: 40, b: 8, c: 0 }, qualified: [] }, name, 'x')).toEqual([
      'Seats:',
      'Amanat — 40',
      'Auyl — 8',
    ]);
    expect(
      outcomeWords(
        LABELS.ru,
        { kind: 'tie', for: 'runoff', tied: ['b', 'c'].map(asOptionId), settled: [asOptionId('a')], places: 1 },
        name,
        'x',
      ),
    ).toEqual(['Равенство голосов: Auyl и Respublica — мест: 1 (второй тур); решает избирательная комиссия']);
    expect(outcomeWords(LABELS.kk, { kind: 'no-votes' }, name, 'x')).toEqual(['Дауыстар әлі саналған жоқ']);
    expect(outcomeWords(LABELS.en, { kind: 'elected', elected: ['a', 'b', 'c'].map(asOptionId) }, name, 'x')).toEqual([
      'Elected: Amanat, Auyl and Respublica',
    ]);
  });
});

describe('format', () => {
  test('counts in groups of three, times in the election’s zone whatever the machine’s', () => {
    expect([0, 7, 999, 1000, 10101, 6456393, 1234567890].map(formatCount)).toEqual([
      '0',
      '7',
      '999',
      '1 000',
      '10 101',
      '6 456 393',
      '1 234 567 890',
    ]);
    expect(formatInstant(new Date('2022-11-20T14:00:00Z'), 'Asia/Almaty')).toBe(
      '2022-11-20 20:00:00 Asia/Almaty (2022-11-20T14:00:00.000Z)',
    );
    expect(formatInstant(new Date('2022-11-20T14:00:00Z'), 'Asia/Aqtobe')).toBe(
      '2022-11-20 19:00:00 Asia/Aqtobe (2022-11-20T14:00:00.000Z)',
    );
  });
});

/** A minimal PNG reader (8-bit grey, grey+alpha, RGB or RGBA; no interlace): enough to read a QR code back. */
function decodePng(png: Uint8Array): { width: number; height: number; dark: (x: number, y: number) => boolean } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let at = 8;
  let width = 0;
  let height = 0;
  let colorType = 0;
  const idat: Uint8Array[] = [];
  while (at < png.length) {
    const length = view.getUint32(at);
    const type = new TextDecoder().decode(png.subarray(at + 4, at + 8));
    const data = png.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = view.getUint32(at + 8);
      height = view.getUint32(at + 12);
      expect(data[8]).toBe(8); // bit depth
      colorType = data[9] ?? 0;
      expect(data[12]).toBe(0); // no interlace
    } else if (type === 'IDAT') {
      idat.push(data);
    }
    at += 12 + length;
  }
  const channels = { 0: 1, 2: 3, 4: 2, 6: 4 }[colorType] ?? 0;
  expect(channels).toBeGreaterThan(0);
  const raw = unzlibSync(Uint8Array.from(idat.flatMap((chunk) => [...chunk])));
  const stride = width * channels;
  const pixels = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)] ?? 0;
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x] ?? 0;
      const left = x >= channels ? (pixels[y * stride + x - channels] ?? 0) : 0;
      const up = y > 0 ? (pixels[(y - 1) * stride + x] ?? 0) : 0;
      const upLeft = x >= channels && y > 0 ? (pixels[(y - 1) * stride + x - channels] ?? 0) : 0;
      const paeth = () => {
        const p = left + up - upLeft;
        const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
        return pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      };
      const predictor = [0, left, up, (left + up) >> 1, paeth()][filter] ?? 0;
      pixels[y * stride + x] = (value + predictor) & 0xff;
    }
  }
  return { width, height, dark: (x, y) => (pixels[y * stride + x * channels] ?? 255) < 128 };
}
