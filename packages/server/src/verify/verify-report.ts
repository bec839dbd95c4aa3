/**
 * What `verifySnapshot` found: every mismatch, precisely located (file, line or division, JSON field path, the
 * published and the recomputed value), and what was checked.
 */
import { assertNever } from '@canvass/core';

export type VerifyProblem =
  | { readonly kind: 'pointer'; readonly file: string; readonly message: string }
  | { readonly kind: 'signature'; readonly file: string; readonly message: string }
  | { readonly kind: 'manifest'; readonly file: string; readonly path?: string | undefined; readonly message: string }
  | { readonly kind: 'file-missing'; readonly file: string }
  | { readonly kind: 'file-size'; readonly file: string; readonly published: number; readonly actual: number }
  | { readonly kind: 'file-hash'; readonly file: string; readonly published: string; readonly actual: string }
  | { readonly kind: 'file-unlisted'; readonly file: string }
  | { readonly kind: 'election'; readonly file: string; readonly path: string; readonly message: string }
  | {
      readonly kind: 'station-row';
      readonly file: string;
      readonly line: number;
      readonly station?: string | undefined;
      readonly column?: string | undefined;
      readonly message: string;
    }
  | {
      readonly kind: 'protocol-hash';
      readonly file: string;
      readonly line: number;
      readonly contest: string;
      readonly station: string;
      /** The hash column of the row. */
      readonly published: string;
      /** SHA-256 of the canonical JSON of the protocol the row holds. */
      readonly recomputed: string;
    }
  | {
      readonly kind: 'results';
      readonly file: string;
      readonly division: string;
      readonly contest?: string | undefined;
      readonly option?: string | undefined;
      /** JSON field path inside the division's results, e.g. `contests[0].options[0].votes`. */
      readonly path: string;
      /** Absent when the published results lack the field. */
      readonly published?: unknown;
      /** Absent when the recomputed results lack the field. */
      readonly recomputed?: unknown;
    }
  | { readonly kind: 'results-missing'; readonly file: string; readonly division: string }
  | { readonly kind: 'results-format'; readonly file: string; readonly message: string };

export type VerifyProblemKind = VerifyProblem['kind'];

export interface VerifyReport {
  /** True only when the signature is valid and every file, every protocol hash and every result matches. */
  readonly ok: boolean;
  readonly source: string;
  readonly version: string;
  readonly via: 'current.json' | 'version directory';
  readonly election: string | null;
  readonly resultsVersion: number | null;
  readonly ledger: { readonly seq: number; readonly hash: string } | null;
  readonly createdAt: string | null;
  /** SHA-256 of `manifest.json` as read. */
  readonly manifestSha256: string;
  readonly signature: {
    readonly valid: boolean;
    /**
     * Where the public key came from: `option` (given by the user: checks who signed), `snapshot` (the snapshot's
     * own `public-key.pem`: checks integrity only, since whoever can change the files can change the key), `none`.
     */
    readonly keySource: 'option' | 'snapshot' | 'none';
    readonly keyId: string | null;
    /** The signer the manifest names. */
    readonly signerKeyId: string | null;
  };
  readonly checked: {
    readonly files: number;
    readonly bytes: number;
    /** Rows of stations.csv read (counted protocols). */
    readonly protocols: number;
    /** Division results recomputed and compared (each station in a group file counts once). */
    readonly divisions: number;
  };
  /** Every problem found; `problems` lists the first ones (see `problemsListed`). */
  readonly problemCount: number;
  readonly problemsByKind: Readonly<Partial<Record<VerifyProblemKind, number>>>;
  readonly problems: readonly VerifyProblem[];
  /** Wall-clock seconds in total and per phase (reading and parsing `election.json`; reading, hashing and counting `stations.csv`; reading and comparing the results files). */
  readonly seconds: number;
  readonly timing: { readonly election: number; readonly stations: number; readonly results: number };
}

const show = (value: unknown): string => (value === undefined ? '(absent)' : JSON.stringify(value));

/** One line per problem, naming the file first. */
export function describeProblem(problem: VerifyProblem): string {
  switch (problem.kind) {
    case 'pointer':
    case 'signature':
      return `${problem.file}: ${problem.message}`;
    case 'manifest':
      return `${problem.file}${problem.path ? `: ${problem.path}` : ''}: ${problem.message}`;
    case 'file-missing':
      return `${problem.file}: listed in the manifest but missing`;
    case 'file-size':
      return `${problem.file}: ${problem.actual} bytes, the manifest says ${problem.published}`;
    case 'file-hash':
      return `${problem.file}: SHA-256 ${problem.actual}, the manifest says ${problem.published}`;
    case 'file-unlisted':
      return `${problem.file}: present but not listed in the manifest`;
    case 'election':
      return `${problem.file}: ${problem.path}: ${problem.message}`;
    case 'station-row':
      return `${problem.file}: line ${problem.line}${problem.station ? `: station ${problem.station}` : ''}${
        problem.column ? ` (column ${problem.column})` : ''
      }: ${problem.message}`;
    case 'protocol-hash':
      return `${problem.file}: line ${problem.line}: station ${problem.station}, contest ${problem.contest}: the row's protocol hashes to ${problem.recomputed}, the row says ${problem.published}`;
    case 'results':
      return `${problem.file}: division ${problem.division}${problem.contest ? `, contest ${problem.contest}` : ''}${
        problem.option ? `, option ${problem.option}` : ''
      }: ${problem.path}: published ${show(problem.published)}, recomputed ${show(problem.recomputed)}`;
    case 'results-missing':
      return `${problem.file}: the results of division ${problem.division} are not in the snapshot`;
    case 'results-format':
      return `${problem.file}: ${problem.message}`;
    default:
      return assertNever(problem, 'problem kind');
  }
}

const n = (x: number) => x.toLocaleString('en-US');

/** The report as text: a summary, then every listed problem. */
export function formatReport(report: VerifyReport): string {
  const keyFrom =
    report.signature.keySource === 'option'
      ? 'the key you gave'
      : report.signature.keySource === 'snapshot'
        ? "the snapshot's own public-key.pem (integrity only: pass --public-key with a key obtained independently to check who signed)"
        : 'no key';
  const lines = [
    `snapshot ${report.version} of ${report.election ?? '(unknown election)'} at ${report.source} (via ${report.via})`,
    `manifest SHA-256 ${report.manifestSha256}; results version ${report.resultsVersion ?? '?'}; ledger head ${
      report.ledger ? `#${report.ledger.seq} ${report.ledger.hash}` : '?'
    }; made ${report.createdAt ?? '?'}`,
    `signature: ${report.signature.valid ? 'valid' : 'NOT valid'}, checked with ${keyFrom}${
      report.signature.keyId ? ` (key ${report.signature.keyId})` : ''
    }`,
    `checked ${n(report.checked.files)} files (${n(report.checked.bytes)} bytes), ${n(report.checked.protocols)} protocols, ${n(
      report.checked.divisions,
    )} division results recomputed, in ${report.seconds.toFixed(2)} s`,
  ];
  for (const problem of report.problems) lines.push(`MISMATCH ${describeProblem(problem)}`);
  if (report.problems.length < report.problemCount) lines.push(`… and ${n(report.problemCount - report.problems.length)} more`);
  lines.push(
    report.ok
      ? 'OK: the signature is valid and every file, protocol hash and result matches.'
      : `FAILED: ${n(report.problemCount)} problem(s): ${Object.entries(report.problemsByKind)
          .map(([kind, count]) => `${kind} ${n(count)}`)
          .join(', ')}`,
  );
  return `${lines.join('\n')}\n`;
}
