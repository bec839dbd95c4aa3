'use strict';
/**
 * Reads a snapshot's `stations.csv` from its bytes: checks every row, recomputes its protocol hash and keeps the
 * figures of every row that passes, compactly (one typed-array row per protocol, in file order), for the verifier
 * to count. Plain CommonJS so that the verifier's worker thread (workers/verify-files.cjs) and its single-thread
 * path (src/verify/read-stations.ts) run this one definition; the tests run both and compare their reports.
 *
 * It reads bytes, not text, because a million rows are 175 MB: decoding that and splitting it into 20 million
 * strings costs seconds. CSV as RFC 4180 has it (quoted fields with doubled quotes and line breaks; line numbers
 * count the physical lines): cells are decoded only where a message quotes them or a field needs JSON escaping, and
 * records with quotes are read as text, field by field.
 *
 * The header names which columns count. With `columns` given (the election's lines and options) a column that is
 * neither is reported and skipped, as before. Without it (the worker starts before election.json is parsed) every
 * `votes:` column counts as an option and every other one as a line; the caller checks that assumption against the
 * election afterwards and reads the file again with `columns` when it does not hold.
 */
const { hash } = require('node:crypto');

const cellDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
const encoder = new TextEncoder();

class CsvSyntaxError extends Error {
  constructor(line, message) {
    super(message);
    this.line = line;
  }
}

const decodeCell = (bytes, start, end) => (end > start ? cellDecoder.decode(bytes.subarray(start, end)) : '');

/** Whether bytes[start, end) are all id-safe (`[A-Za-z0-9._-]`), so their JSON string is the bytes in quotes. */
function plainId(bytes, start, end) {
  for (let i = start; i < end; i++) {
    const c = bytes[i];
    if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 46 || c === 95 || c === 45)) return false;
  }
  return true;
}

const jsonString = (text) => (/^[A-Za-z0-9._-]*$/.test(text) ? `"${text}"` : JSON.stringify(text));

function sameBytes(bytes, start, end, expected) {
  if (end - start !== expected.length) return false;
  for (let i = 0; i < expected.length; i++) if (bytes[start + i] !== expected[i]) return false;
  return true;
}

/**
 * A record with a quoted field, read as text from byte `start` (on line `startLine`): its fields, where the next
 * record starts and on which line.
 */
function quotedRecord(bytes, start, startLine) {
  const fields = [];
  let pos = start;
  let line = startLine;
  const n = bytes.length;
  for (;;) {
    let field = '';
    if (bytes[pos] === 34) {
      pos++;
      for (;;) {
        const quote = bytes.indexOf(34, pos);
        if (quote < 0) throw new CsvSyntaxError(startLine, 'a quoted field is not closed');
        for (let i = bytes.indexOf(10, pos); i >= 0 && i < quote; i = bytes.indexOf(10, i + 1)) line++;
        field += decodeCell(bytes, pos, quote);
        if (bytes[quote + 1] === 34) {
          field += '"';
          pos = quote + 2;
        } else {
          pos = quote + 1;
          break;
        }
      }
    } else {
      let stop = pos;
      while (stop < n) {
        const c = bytes[stop];
        if (c === 44 || c === 10 || c === 13) break;
        if (c === 34) throw new CsvSyntaxError(line, 'a quote inside an unquoted field (quote the whole field and double the quote)');
        stop++;
      }
      field = decodeCell(bytes, pos, stop);
      pos = stop;
    }
    fields.push(field);
    const c = bytes[pos];
    if (c === 44) {
      pos++;
      continue;
    }
    if (c === 13 && bytes[pos + 1] === 10) pos++;
    if (pos >= n || bytes[pos] === 10) return { fields, next: pos + 1, line: line + 1 };
    throw new CsvSyntaxError(line, 'text after a closing quote (a field is either quoted entirely or not at all)');
  }
}

const byId = (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The bytes as a Buffer (a view, not a copy), for its `indexOf`, which is memchr: a typed array's is a loop. */
const asBuffer = (bytes) => (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));

/**
 * @param {Uint8Array} bytes the whole file
 * @param {import('./stations-reader.cjs').ReadOptions} options
 * @param {import('./stations-reader.cjs').Chunk} [chunk] only the records of this part of the file (the header is
 *   read either way; its problems are reported with the first part only)
 * @returns {import('./stations-reader.cjs').StationsBytesReading}
 */
function readStationsBytes(input, options, chunk) {
  const bytes = asBuffer(input);
  const { electionId, file, fixedColumns, votesPrefix, maxCount, columns } = options;
  const electionIdBytes = encoder.encode(electionId);
  const n = chunk ? chunk.to : bytes.length;
  const problems = [];
  let rows = 0;

  // Capacity: at most one row per line (a part knows its line count).
  let lines = 2;
  if (chunk) lines += chunk.lines;
  else for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) lines++;

  const rowProblem = (line, message, extra) => {
    problems.push({ kind: 'station-row', file, line, ...extra, message });
  };
  const headerProblem = chunk && chunk.from > 0 ? () => undefined : rowProblem;

  // The header.
  let plan;
  let usable = true;
  const readHeader = (fields, line) => {
    const fixed = {};
    const counts = [];
    const seen = new Set();
    fields.forEach((name, at) => {
      if (seen.has(name)) {
        headerProblem(line, `column "${name}" appears twice`, { column: name });
        return;
      }
      seen.add(name);
      if (fixedColumns.includes(name)) {
        fixed[name] = at;
        return;
      }
      const vote = name.startsWith(votesPrefix);
      const id = vote ? name.slice(votesPrefix.length) : name;
      if (columns && !(vote ? columns.options.includes(id) : columns.lines.includes(id))) {
        headerProblem(line, `column "${name}" is neither a protocol line nor an option of the election`, { column: name });
        return;
      }
      counts.push({ kind: vote ? 'vote' : 'line', id, name, at, key: encoder.encode(`${jsonString(id)}:`) });
    });
    const missing = fixedColumns.filter((name) => fixed[name] === undefined);
    if (missing.length > 0) {
      headerProblem(line, `the header lacks the column(s) ${missing.join(', ')}`, {});
      return undefined;
    }
    return {
      width: fields.length,
      fixed,
      counts,
      sortedLines: counts.filter((c) => c.kind === 'line').sort(byId),
      sortedVotes: counts.filter((c) => c.kind === 'vote').sort(byId),
    };
  };

  // What is kept of each counted row.
  let width = 0;
  let figures = new Uint32Array(0);
  let rowLine = new Int32Array(0);
  let rowContest = new Uint16Array(0);
  let rowStation = new Int32Array(0);
  const stationText = {};
  const contests = [];
  const contestBytes = [];
  let lastContest = -1;
  let counted = 0;

  // Field boundaries of the current record, and a scratch for the canonical JSON.
  let fieldStart = new Int32Array(64);
  let fieldEnd = new Int32Array(64);
  let scratch = new Uint8Array(4096);
  let out = 0;
  const ensure = (more) => {
    if (out + more <= scratch.length) return;
    const bigger = new Uint8Array(Math.max(scratch.length * 2, out + more));
    bigger.set(scratch.subarray(0, out));
    scratch = bigger;
  };
  // The copying loops keep `scratch` and `out` in locals: as variables shared by closures they would be loaded and
  // stored through the closure's context on every byte.
  const putBytes = (source, start, end) => {
    ensure(end - start);
    const to = scratch;
    let o = out;
    for (let i = start; i < end; i++) to[o++] = source[i];
    out = o;
  };
  const putText = (text) => {
    const encoded = encoder.encode(text);
    putBytes(encoded, 0, encoded.length);
  };
  const putId = (b, start, end) => {
    if (plainId(b, start, end)) {
      ensure(end - start + 2);
      const to = scratch;
      let o = out;
      to[o++] = 34;
      for (let i = start; i < end; i++) to[o++] = b[i];
      to[o++] = 34;
      out = o;
    } else {
      putText(JSON.stringify(decodeCell(b, start, end)));
    }
  };
  const putCounts = (b, sorted) => {
    const starts = fieldStart;
    const ends = fieldEnd;
    let room = 2;
    for (let k = 0; k < sorted.length; k++) room += sorted[k].key.length + 1 + ends[sorted[k].at] - starts[sorted[k].at];
    ensure(room);
    const to = scratch;
    let o = out;
    to[o++] = 123;
    let first = true;
    for (let k = 0; k < sorted.length; k++) {
      const column = sorted[k];
      const s = starts[column.at];
      const e = ends[column.at];
      if (e === s) continue;
      if (!first) to[o++] = 44;
      first = false;
      const key = column.key;
      for (let i = 0; i < key.length; i++) to[o++] = key[i];
      for (let i = s; i < e; i++) to[o++] = b[i];
    }
    to[o++] = 125;
    out = o;
  };
  const HEAD_CONTEST = encoder.encode('{"contest":');
  const ELECTION_KEY = encoder.encode(',"election":');
  const LINES_KEY = encoder.encode(',"lines":');
  const REASON_KEY = encoder.encode(',"reason":');
  const STATION_KEY = encoder.encode(',"station":');
  const VOTES_KEY = encoder.encode(',"votes":');
  const TRUE = encoder.encode('true');
  const FALSE = encoder.encode('false');

  const cellAt = (b, at) => decodeCell(b, fieldStart[at], fieldEnd[at]);
  const stationOf = (b, ss, se, quotedStation) => (quotedStation !== undefined ? quotedStation : decodeCell(b, ss, se));
  /** Reports a problem with one cell of a row; 1, to count it. */
  const cellProblem = (line, b, ss, se, quotedStation, column, message) => {
    rowProblem(line, message, { station: stationOf(b, ss, se, quotedStation), column });
    return 1;
  };

  /** One data row: fields in `b` at fieldStart/fieldEnd[0 .. count). */
  const readDataRow = (p, b, count, line, quotedStation) => {
    rows++;
    const { fixed } = p;
    const si = fixed.station;
    const ss = si < count ? fieldStart[si] : 0;
    const se = si < count ? fieldEnd[si] : 0;
    if (count !== p.width) {
      rowProblem(line, `${count} fields, the header has ${p.width}`, { station: stationOf(b, ss, se, quotedStation) });
      return;
    }
    // No closures over this row (one made per row is a cost per row): `cellProblem` is given what it names.
    let bad = 0;
    if (!sameBytes(b, fieldStart[fixed.election], fieldEnd[fixed.election], electionIdBytes))
      bad += cellProblem(line, b, ss, se, quotedStation, 'election', `election "${cellAt(b, fixed.election)}" is not "${electionId}"`);
    {
      const s = fieldStart[fixed.version];
      const e = fieldEnd[fixed.version];
      let good = e - s >= 1 && e - s <= 9 && b[s] >= 49 && b[s] <= 57;
      for (let i = s + 1; good && i < e; i++) good = b[i] >= 48 && b[i] <= 57;
      if (!good)
        bad += cellProblem(line, b, ss, se, quotedStation, 'version', `"${cellAt(b, fixed.version)}" is not a version number (1, 2, …)`);
    }
    {
      const s = fieldStart[fixed.accepted];
      const e = fieldEnd[fixed.accepted];
      if (!sameBytes(b, s, e, TRUE) && !sameBytes(b, s, e, FALSE))
        bad += cellProblem(line, b, ss, se, quotedStation, 'accepted', `"${cellAt(b, fixed.accepted)}" is not true or false`);
    }
    const base = counted * width;
    if (figures.length < base + width) {
      const bigger = new Uint32Array(Math.max(figures.length * 2, base + width));
      bigger.set(figures);
      figures = bigger;
    }
    const counts = p.counts;
    for (let k = 0; k < counts.length; k++) {
      const column = counts[k];
      const s = fieldStart[column.at];
      const e = fieldEnd[column.at];
      let value = 0;
      if (e > s) {
        const length = e - s;
        let good = length <= 9 && (length === 1 || b[s] !== 48);
        for (let i = s; good && i < e; i++) {
          const c = b[i];
          if (c < 48 || c > 57) good = false;
          else value = value * 10 + (c - 48);
        }
        if (!good || value > maxCount) {
          bad += cellProblem(
            line,
            b,
            ss,
            se,
            quotedStation,
            column.kind === 'vote' ? `${votesPrefix}${column.id}` : column.id,
            `"${cellAt(b, column.at)}" is not a count (a whole number from 0 to ${maxCount}, digits only)`,
          );
          continue;
        }
      }
      figures[base + k] = value;
    }
    if (bad > 0) return;

    // The canonical JSON of the protocol the row holds (publish/canonical-protocol.ts), and its hash.
    const cs = fieldStart[fixed.contest];
    const ce = fieldEnd[fixed.contest];
    const es = fieldStart[fixed.election];
    const ee = fieldEnd[fixed.election];
    out = 0;
    putBytes(HEAD_CONTEST, 0, HEAD_CONTEST.length);
    putId(b, cs, ce);
    putBytes(ELECTION_KEY, 0, ELECTION_KEY.length);
    putId(b, es, ee);
    putBytes(LINES_KEY, 0, LINES_KEY.length);
    putCounts(b, p.sortedLines);
    const rs = fieldStart[fixed.reason];
    const re = fieldEnd[fixed.reason];
    if (re > rs) {
      putBytes(REASON_KEY, 0, REASON_KEY.length);
      putText(JSON.stringify(cellAt(b, fixed.reason)));
    }
    putBytes(STATION_KEY, 0, STATION_KEY.length);
    if (quotedStation !== undefined) putText(jsonString(quotedStation));
    else putId(b, ss, se);
    putBytes(VOTES_KEY, 0, VOTES_KEY.length);
    putCounts(b, p.sortedVotes);
    ensure(1);
    scratch[out++] = 125;
    const recomputed = hash('sha256', scratch.subarray(0, out), 'hex');
    const hs = fieldStart[fixed.hash];
    const he = fieldEnd[fixed.hash];
    let same = he - hs === 64;
    for (let i = 0; same && i < 64; i++) same = b[hs + i] === recomputed.charCodeAt(i);
    if (!same)
      problems.push({
        kind: 'protocol-hash',
        file,
        line,
        contest: cellAt(b, fixed.contest),
        station: stationOf(b, ss, se, quotedStation),
        published: cellAt(b, fixed.hash),
        recomputed,
      });

    // Kept for counting.
    let contest = lastContest;
    if (contest < 0 || !sameBytes(b, cs, ce, contestBytes[contest])) {
      const id = cellAt(b, fixed.contest);
      contest = contests.indexOf(id);
      if (contest < 0) {
        contest = contests.length;
        contests.push(id);
        contestBytes.push(encoder.encode(id));
      }
      lastContest = contest;
    }
    rowContest[counted] = contest;
    rowLine[counted] = line;
    if (quotedStation !== undefined) {
      stationText[counted] = quotedStation;
      rowStation[2 * counted] = -1;
      rowStation[2 * counted + 1] = -1;
    } else {
      rowStation[2 * counted] = ss;
      rowStation[2 * counted + 1] = se;
    }
    counted++;
  };

  const setFields = (count) => {
    if (count > fieldStart.length) {
      fieldStart = new Int32Array(count * 2);
      fieldEnd = new Int32Array(count * 2);
    }
  };

  /** A record read as text (quoted fields): its fields encoded one after another, so the byte path reads them. */
  const textRecord = (fields, line) => {
    const encoded = fields.map((f) => encoder.encode(f));
    const b = new Uint8Array(encoded.reduce((sum, e) => sum + e.length, 0));
    setFields(fields.length);
    let at = 0;
    encoded.forEach((e, i) => {
      b.set(e, at);
      fieldStart[i] = at;
      at += e.length;
      fieldEnd[i] = at;
    });
    return b;
  };

  const startPlan = (header) => {
    width = header.counts.length;
    figures = new Uint32Array(lines * width);
    rowLine = new Int32Array(lines);
    rowContest = new Uint16Array(lines);
    rowStation = new Int32Array(2 * lines);
  };

  // The records. A decoder drops one byte-order mark, the reader another.
  let pos = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) pos = 3;
  if (bytes[pos] === 0xef && bytes[pos + 1] === 0xbb && bytes[pos + 2] === 0xbf) pos += 3;
  let nextLine = 1;
  // The next quote within the part read (not beyond: a part should not search the whole file).
  const quoteAfter = (from) => {
    const at = bytes.subarray(from, n).indexOf(34);
    return at < 0 ? -1 : from + at;
  };
  let nextQuote = quoteAfter(pos);
  let header = true;
  // A part's records start at `chunk.from`: there once the header (at the top of the file) is read.
  const partFrom = chunk ? chunk.from : 0;
  try {
    while (pos < n) {
      if (pos < partFrom && plan) {
        pos = partFrom;
        nextLine = chunk.line;
      }
      const start = pos;
      const newline = bytes.indexOf(10, start);
      const end = newline < 0 ? n : newline;
      if (nextQuote >= 0 && nextQuote < start) nextQuote = quoteAfter(start);
      let line;
      let b = bytes;
      let count;
      let quotedStation;
      if (nextQuote < 0 || nextQuote >= end) {
        const stop = end > start && bytes[end - 1] === 13 ? end - 1 : end;
        line = nextLine++;
        pos = end + 1;
        if (stop <= start) continue;
        // One pass over the record, with the field arrays in locals (grown, rarely, when a record is wider).
        let starts = fieldStart;
        let ends = fieldEnd;
        let f = 0;
        starts[0] = start;
        for (let i = start; i < stop; i++)
          if (bytes[i] === 44) {
            ends[f++] = i;
            if (f === starts.length) {
              setFields(2 * f);
              fieldStart.set(starts);
              fieldEnd.set(ends);
              starts = fieldStart;
              ends = fieldEnd;
            }
            starts[f] = i + 1;
          }
        ends[f] = stop;
        count = f + 1;
        if (header) {
          const names = [];
          for (let k = 0; k < count; k++) names.push(decodeCell(bytes, fieldStart[k], fieldEnd[k]));
          header = false;
          plan = readHeader(names, line);
          if (!plan) {
            usable = false;
            break;
          }
          startPlan(plan);
          continue;
        }
      } else {
        const record = quotedRecord(bytes, start, nextLine);
        line = nextLine;
        nextLine = record.line;
        pos = record.next;
        if (header) {
          header = false;
          plan = readHeader(record.fields, line);
          if (!plan) {
            usable = false;
            break;
          }
          startPlan(plan);
          continue;
        }
        count = record.fields.length;
        b = textRecord(record.fields, line);
        quotedStation = record.fields[plan.fixed.station] ?? '';
      }
      readDataRow(plan, b, count, line, quotedStation);
    }
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    rowProblem(error.line, `not valid CSV: ${error.message}; the rest of the file is not read`, {});
    usable = false;
  }
  if (!plan && usable) {
    rowProblem(1, 'the file is empty; it starts with a header row', {});
    usable = false;
  }
  return {
    rows,
    complete: usable,
    problems,
    speculative: !columns,
    columns: plan ? plan.counts.map((c) => ({ kind: c.kind, id: c.id, name: c.name })) : [],
    contests,
    counted,
    figures: figures.subarray(0, counted * width),
    rowLine: rowLine.subarray(0, counted),
    rowContest: rowContest.subarray(0, counted),
    rowStation: rowStation.subarray(0, 2 * counted),
    stationText,
  };
}

/**
 * Cuts the file into parts of about `size` bytes, at line ends, for two threads to read: the header in the first.
 * Null when it cannot be cut safely — a quote anywhere (a quoted field may span lines) — or is too small to be worth it.
 * @param {Uint8Array} input
 * @param {number} size
 * @returns {import('./stations-reader.cjs').Chunk[] | null}
 */
function planChunks(input, size) {
  const bytes = asBuffer(input);
  const n = bytes.length;
  if (n < 2 * size || bytes.indexOf(34) >= 0) return null;
  // The first part holds the header: the first line with anything on it (blank lines before it are skipped).
  let header = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) header = 3;
  if (bytes[header] === 0xef && bytes[header + 1] === 0xbb && bytes[header + 2] === 0xbf) header += 3;
  for (;;) {
    const end = bytes.indexOf(10, header);
    if (end < 0) return null; // no line after the header: nothing worth sharing
    const blank = (end > header && bytes[end - 1] === 13 ? end - 1 : end) <= header;
    header = end + 1;
    if (!blank) break;
  }
  const chunks = [];
  let from = 0;
  let line = 1;
  while (from < n) {
    let to = from + size < n ? bytes.indexOf(10, Math.max(from + size, from === 0 ? header - 1 : 0)) : -1;
    to = to < 0 ? n : to + 1;
    let lines = 0;
    for (let i = bytes.indexOf(10, from); i >= 0 && i < to; i = bytes.indexOf(10, i + 1)) lines++;
    chunks.push({ from, to, line, lines });
    line += lines;
    from = to;
  }
  return chunks;
}

/**
 * The readings of consecutive parts of one file, as one reading of the whole (what `readStationsBytes` without
 * parts gives). With `keepFigureParts`, the figures stay in the parts' own arrays (`figureParts`) instead of being
 * copied into one: for a million rows that copy is 80 MB of fresh memory, and the garbage collection it sets off.
 * @param {import('./stations-reader.cjs').StationsBytesReading[]} parts in file order
 * @param {boolean} [keepFigureParts]
 * @returns {import('./stations-reader.cjs').StationsBytesReading}
 */
function mergeReadings(parts, keepFigureParts = false) {
  if (parts.length === 1) return parts[0];
  const first = parts[0];
  const width = first.columns.length;
  const counted = parts.reduce((sum, part) => sum + part.counted, 0);
  const figures = new Uint32Array(keepFigureParts ? 0 : counted * width);
  const figureParts = keepFigureParts ? [] : undefined;
  const rowLine = new Int32Array(counted);
  const rowContest = new Uint16Array(counted);
  const rowStation = new Int32Array(2 * counted);
  const contests = [];
  const stationText = {};
  const problems = [];
  let at = 0;
  for (const part of parts) {
    if (figureParts) figureParts.push({ start: at, figures: part.figures });
    else figures.set(part.figures.subarray(0, part.counted * width), at * width);
    rowLine.set(part.rowLine.subarray(0, part.counted), at);
    rowStation.set(part.rowStation.subarray(0, 2 * part.counted), 2 * at);
    const remap = part.contests.map((id) => {
      const known = contests.indexOf(id);
      return known >= 0 ? known : contests.push(id) - 1;
    });
    for (let r = 0; r < part.counted; r++) rowContest[at + r] = remap[part.rowContest[r]];
    for (const [row, text] of Object.entries(part.stationText)) stationText[at + Number(row)] = text;
    for (const problem of part.problems) problems.push(problem);
    at += part.counted;
  }
  return {
    rows: parts.reduce((sum, part) => sum + part.rows, 0),
    complete: parts.every((part) => part.complete),
    problems,
    speculative: first.speculative,
    columns: first.columns,
    contests,
    counted,
    figures,
    ...(figureParts ? { figureParts } : {}),
    rowLine,
    rowContest,
    rowStation,
    stationText,
  };
}

exports.readStationsBytes = readStationsBytes;
exports.planChunks = planChunks;
exports.mergeReadings = mergeReadings;
