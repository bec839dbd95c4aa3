/**
 * The manifest of one snapshot version: every file with its size and SHA-256, where the ledger stood, the status
 * of each contest and the results version. It is written as RFC 8785 canonical JSON and signed with Ed25519 over
 * exactly those bytes; `manifest.sig` holds the 64-byte signature in base64 (one line).
 */
import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { RESULTS_STATUSES, type ResultsStatus } from '@canvass/core';
import { z } from 'zod';
import { canonicalJson, sha256Hex } from '../ledger/canonical.js';
import { SNAPSHOT_FORMAT, STATION_RESULTS_LAYOUTS, isSafeRelativePath, type StationResultsLayout } from './snapshot-layout.js';

export interface ManifestFile {
  /** Relative to the version directory, `/`-separated. */
  readonly path: string;
  /** Bytes. */
  readonly size: number;
  /** SHA-256 of the file's bytes, lower-case hex. */
  readonly sha256: string;
}

export interface Manifest {
  readonly format: typeof SNAPSHOT_FORMAT;
  readonly election: string;
  readonly version: string;
  /** The results version the snapshot was made at (`PublicationInput.resultsVersion`). */
  readonly resultsVersion: number;
  /** When the snapshot was made, ISO 8601 in UTC. */
  readonly createdAt: string;
  /** The ledger head the results reflect: its sequence number and entry hash. */
  readonly ledger: { readonly seq: number; readonly hash: string };
  /** The results status of every contest. */
  readonly status: Readonly<Record<string, ResultsStatus>>;
  /** Rows of `stations.csv` (counted protocols, all contests). */
  readonly protocols: number;
  readonly layout: { readonly stationResults: StationResultsLayout };
  /** Which key signs `manifest.sig`: SHA-256 (hex) of the public key's SPKI DER encoding. */
  readonly signer?: { readonly algorithm: 'Ed25519'; readonly keyId: string } | undefined;
  /** Every file of the version except the manifest and its signature, sorted by path. */
  readonly files: readonly ManifestFile[];
}

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/, { error: 'a SHA-256 in lower-case hex (64 digits)' });

export const ManifestSchema: z.ZodType<Manifest> = z.strictObject({
  format: z.literal(SNAPSHOT_FORMAT),
  election: z.string().min(1),
  version: z.string().min(1),
  resultsVersion: z.number().int().min(0),
  createdAt: z.iso.datetime(),
  ledger: z.strictObject({ seq: z.number().int().min(0), hash: z.string() }),
  status: z.record(z.string(), z.enum(RESULTS_STATUSES as [ResultsStatus, ...ResultsStatus[]])),
  protocols: z.number().int().min(0),
  layout: z.strictObject({ stationResults: z.enum(STATION_RESULTS_LAYOUTS as [StationResultsLayout, ...StationResultsLayout[]]) }),
  signer: z.strictObject({ algorithm: z.literal('Ed25519'), keyId: Hex64 }).optional(),
  files: z.array(
    z.strictObject({
      path: z.string().refine(isSafeRelativePath, { error: 'a relative path of URL-safe segments, without "." or ".."' }),
      size: z.number().int().min(0),
      sha256: Hex64,
    }),
  ),
});

/** The exact bytes of `manifest.json`: RFC 8785 canonical JSON, no trailing line break. */
export function manifestBytes(manifest: Manifest): Uint8Array {
  return new TextEncoder().encode(canonicalJson(manifest));
}

/** SHA-256 (hex) of the public key's SPKI DER encoding: a short, stable name for a key. */
export function keyId(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return sha256Hex(publicKey.export({ type: 'spki', format: 'der' }));
}

export function assertEd25519(key: KeyObject, what: string): void {
  if (key.asymmetricKeyType !== 'ed25519')
    throw new TypeError(`the ${what} must be an Ed25519 key, not ${key.asymmetricKeyType ?? key.type}`);
}

/** `manifest.sig`: the Ed25519 signature over the manifest bytes, base64, one line. */
export function signManifest(bytes: Uint8Array, privateKey: KeyObject): string {
  assertEd25519(privateKey, 'signing key');
  return `${sign(null, bytes, privateKey).toString('base64')}\n`;
}

/** Whether `signature` (the text of `manifest.sig`) is a valid Ed25519 signature of `bytes` under `publicKey`. */
export function checkManifestSignature(bytes: Uint8Array, signature: string, publicKey: KeyObject): boolean {
  const text = signature.trim();
  if (!/^[A-Za-z0-9+/]{86}==$/.test(text)) return false;
  return verify(null, bytes, publicKey, Buffer.from(text, 'base64'));
}

/** The SPKI PEM of a key's public half (`public-key.pem`). */
export function publicKeyPem(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return publicKey.export({ type: 'spki', format: 'pem' }).toString();
}
