/**
 * The result protocol as a PDF: what a commission posts and an observer keeps — one contest in one division, in
 * Kazakh, Russian or English. It carries the figures exactly as published (the same `DivisionResults` as the
 * snapshot's results file), where the ledger stood, and a QR code with the SHA-256 of the snapshot manifest, so a
 * printed copy can be matched to the signed, verifiable publication.
 */
import {
  localize,
  type ContestId,
  type ContestOption,
  type ContestResults,
  type DivisionId,
  type Localized,
  type Outcome,
} from '@canvass/core';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { PublicationInput } from '../publish/publication-input.js';
import { publishedResultsOptions } from '../publish/published-results.js';
import { FONTS } from './fonts.js';
import { formatCount, formatInstant, formatPercent } from './format.js';
import { LABELS, fill, type Labels, type ProtocolLanguage } from './labels.js';

export interface ResultProtocolOptions {
  /** SHA-256 (hex) of the snapshot's `manifest.json` this protocol belongs to; printed and encoded as a QR code. */
  readonly manifestHash?: string | undefined;
}

const MARGIN = 50;
const A4_WIDTH = 595.28;
const CONTENT = A4_WIDTH - 2 * MARGIN;
const GREY = '#555555';

/**
 * Renders the result protocol of `contest` in `division`. Throws a `RangeError` when the contest or the division
 * is unknown, or the division does not take part in the contest (callers check their input first).
 */
export async function renderResultProtocol(
  input: PublicationInput,
  contestId: ContestId,
  divisionId: DivisionId,
  lang: ProtocolLanguage,
  options: ResultProtocolOptions = {},
): Promise<Uint8Array> {
  const { index } = input;
  const election = index.election;
  const contestIndex = index.contest(contestId);
  if (!contestIndex) throw new RangeError(`no contest "${contestId}" in election "${election.id}"`);
  const contest = contestIndex.contest;
  const at = index.divisionIndex(divisionId);
  const division = at === undefined ? undefined : election.divisions[at];
  if (!division) throw new RangeError(`no division "${divisionId}" in election "${election.id}"`);
  const results = input.tally.results(division.id, publishedResultsOptions(input))?.contests.find((c) => c.contest === contestId);
  if (!results) throw new RangeError(`division "${divisionId}" does not take part in contest "${contestId}"`);
  if (options.manifestHash !== undefined && !/^[0-9a-f]{64}$/.test(options.manifestHash))
    throw new RangeError('the manifest hash is a SHA-256 in lower-case hex (64 digits)');

  const L = LABELS[lang];
  const name = (names: Localized) => localize(names, lang);
  const root = election.divisions[contestIndex.root];
  const title = `${name(election.names)} — ${name(contest.names)} — ${name(division.names)}`;
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    lang,
    displayTitle: true,
    info: { Title: title, Subject: L.document, Creator: 'Canvass', Producer: 'Canvass', CreationDate: input.now, ModDate: input.now },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  doc.registerFont('sans', FONTS.regular);
  doc.registerFont('sans-bold', FONTS.bold);
  doc.registerFont('mono', FONTS.mono);

  // Title block.
  doc.font('sans-bold').fontSize(15).fillColor('black').text(name(election.names), { width: CONTENT });
  doc.font('sans').fontSize(11).fillColor(GREY).text(L.document).moveDown(0.6);
  field(doc, L.contest, name(contest.names));
  field(doc, L.division, `${name(division.names)} (${division.id})`);
  field(doc, L.status, L.statuses[results.status]);
  doc.moveDown(0.3);
  doc.font('sans').fontSize(10).fillColor('black');
  doc.text(fill(L.stationsReported, { reported: formatCount(results.stations.reported), total: formatCount(results.stations.total) }));
  doc.text(
    fill(L.registeredCovered, { percent: formatPercent(results.registeredCoveredPercent), total: formatCount(results.registeredTotal) }),
  );
  if (election.synthetic) {
    doc.moveDown(0.5);
    doc.font('sans-bold').fontSize(9).fillColor('#9a3412').text(`${L.synthetic}: `, { continued: true });
    doc.font('sans').text(name(election.synthetic), { width: CONTENT });
  }

  // The protocol lines, summed, and what follows from them.
  heading(doc, L.lines);
  for (const line of election.protocol.lines) row(doc, name(line.names), formatCount(results.lines[line.id] ?? 0));
  row(doc, L.turnout, `${formatPercent(results.turnoutPercent)} %`);
  row(doc, L.valid, formatCount(results.valid));
  if (results.percentBase !== results.valid) row(doc, L.percentBase, formatCount(results.percentBase));

  // Every option, in ballot order.
  heading(doc, L.options);
  optionsTable(doc, L, contest.options, results, name);

  // The outcome, in words.
  heading(doc, L.outcome);
  doc.font('sans').fontSize(10).fillColor('black');
  const optionName = (id: string) => {
    const option = contest.options.find((o) => o.id === id);
    return option ? name(option.names) : id;
  };
  for (const sentence of outcomeWords(L, results.outcome, optionName, root ? `${name(root.names)}, ${root.id}` : contest.division))
    doc.text(sentence, { width: CONTENT });

  // Provenance: ledger head, results version, time, the manifest hash and its QR code.
  heading(doc, '');
  doc.font('sans').fontSize(8.5).fillColor(GREY);
  doc.text(fill(L.ledger, { seq: input.ledgerHead.seq, hash: input.ledgerHead.hash }), { width: CONTENT });
  doc.text(fill(L.resultsVersion, { version: input.resultsVersion }));
  doc.text(fill(L.produced, { time: formatInstant(input.now, election.timeZone) }));
  doc.moveDown(0.4);
  if (options.manifestHash === undefined) {
    doc.text(L.noManifest);
  } else {
    const size = 96;
    if (doc.y + size + 40 > doc.page.height - MARGIN) doc.addPage();
    const qr = await QRCode.toDataURL(options.manifestHash, { errorCorrectionLevel: 'M', margin: 1, scale: 4 });
    const top = doc.y;
    doc.image(qr, MARGIN, top, { width: size, height: size });
    doc.text(L.manifest, MARGIN + size + 12, top + 8, { width: CONTENT - size - 12 });
    doc
      .font('mono')
      .fontSize(8.5)
      .fillColor('black')
      .text(options.manifestHash, { width: CONTENT - size - 12 });
    doc.x = MARGIN;
    doc.y = Math.max(doc.y, top + size) + 4;
  }

  // Page numbers, written into the bottom margin of every page.
  const pages = doc.bufferedPageRange();
  for (let i = 0; i < pages.count; i++) {
    doc.switchToPage(pages.start + i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font('sans')
      .fontSize(8)
      .fillColor(GREY)
      .text(fill(L.page, { n: i + 1, total: pages.count }), MARGIN, doc.page.height - MARGIN + 16, {
        width: CONTENT,
        align: 'right',
        lineBreak: false,
      });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  await finished;
  return new Uint8Array(Buffer.concat(chunks));
}

function field(doc: PDFKit.PDFDocument, label: string, value: string): void {
  doc.font('sans').fontSize(10).fillColor(GREY).text(`${label}: `, { continued: true });
  doc.font('sans-bold').fillColor('black').text(value, { width: CONTENT });
}

function heading(doc: PDFKit.PDFDocument, text: string): void {
  doc.moveDown(0.8);
  if (doc.y > doc.page.height - MARGIN - 60) doc.addPage();
  const y = doc.y;
  doc
    .moveTo(MARGIN, y)
    .lineTo(MARGIN + CONTENT, y)
    .lineWidth(0.5)
    .strokeColor('#999999')
    .stroke();
  doc.y = y + 5;
  if (text !== '') doc.font('sans-bold').fontSize(11).fillColor('black').text(text, MARGIN, doc.y).moveDown(0.2);
}

/** A label on the left and a figure on the right, on one line. */
function row(doc: PDFKit.PDFDocument, label: string, value: string): void {
  if (doc.y > doc.page.height - MARGIN - 20) doc.addPage();
  const y = doc.y;
  doc
    .font('sans')
    .fontSize(9.5)
    .fillColor('black')
    .text(label, MARGIN, y, { width: CONTENT - 110 });
  const after = doc.y;
  doc.text(value, MARGIN + CONTENT - 100, y, { width: 100, align: 'right', lineBreak: false });
  doc.x = MARGIN;
  doc.y = Math.max(after, y + 12) + 1;
}

function optionsTable(
  doc: PDFKit.PDFDocument,
  L: Labels,
  options: readonly ContestOption[],
  results: ContestResults,
  name: (names: Localized) => string,
): void {
  const votesX = MARGIN + CONTENT - 170;
  const header = () => {
    const y = doc.y;
    doc.font('sans').fontSize(8.5).fillColor(GREY);
    doc.text(L.option, MARGIN, y, { width: CONTENT - 180, lineBreak: false });
    doc.text(L.votes, votesX, y, { width: 100, align: 'right', lineBreak: false });
    doc.text('%', votesX + 100, y, { width: 70, align: 'right', lineBreak: false });
    doc.x = MARGIN;
    doc.y = y + 13;
  };
  header();
  options.forEach((option, i) => {
    if (doc.y > doc.page.height - MARGIN - 30) {
      doc.addPage();
      header();
    }
    const result = results.options.find((o) => o.option === option.id);
    const y = doc.y;
    doc
      .font('sans-bold')
      .fontSize(10)
      .fillColor('black')
      .text(`${i + 1}. ${name(option.names)}`, MARGIN, y, { width: CONTENT - 180 });
    if (option.party)
      doc
        .font('sans')
        .fontSize(8)
        .fillColor(GREY)
        .text(name(option.party), { width: CONTENT - 180 });
    const after = doc.y;
    doc.font('sans').fontSize(10).fillColor('black');
    doc.text(formatCount(result?.votes ?? 0), votesX, y, { width: 100, align: 'right', lineBreak: false });
    doc.text(formatPercent(result?.percent ?? null), votesX + 100, y, { width: 70, align: 'right', lineBreak: false });
    doc.x = MARGIN;
    doc.y = Math.max(after, y + 13) + 3;
  });
}

/** The outcome as sentences in the chosen language. */
export function outcomeWords(
  L: Labels,
  outcome: Outcome | undefined,
  optionName: (id: string) => string,
  contestDivision: string,
): string[] {
  if (!outcome) return [fill(L.outcomeElsewhere, { division: contestDivision })];
  const names = (ids: readonly string[]) => {
    const all = ids.map(optionName);
    return all.length <= 1 ? all.join('') : `${all.slice(0, -1).join(', ')} ${L.and} ${all[all.length - 1] ?? ''}`;
  };
  switch (outcome.kind) {
    case 'elected':
      return [fill(L.elected, { names: names(outcome.elected) })];
    case 'runoff':
      return [fill(L.runoff, { names: names(outcome.runoff) })];
    case 'seats':
      return [
        L.seats,
        ...Object.entries(outcome.seats)
          .filter(([, seats]) => seats > 0)
          .map(([id, seats]) => `${optionName(id)} — ${formatCount(seats)}`),
      ];
    case 'tie':
      return [
        fill(L.tie, { names: names(outcome.tied), places: outcome.places, what: L.tieFor[outcome.for] }),
        ...(outcome.seats
          ? Object.entries(outcome.seats)
              .filter(([, seats]) => seats > 0)
              .map(([id, seats]) => `${optionName(id)} — ${formatCount(seats)}`)
          : []),
      ];
    case 'no-votes':
      return [L.noVotes];
  }
}
