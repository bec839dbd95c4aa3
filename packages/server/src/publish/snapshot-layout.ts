/**
 * Where everything of a published snapshot lives (docs/publication.md). One root directory (or URL prefix) holds
 * immutable versions under `v/<version>/` and two mutable files: `current.json`, the pointer to the newest version
 * (replaced atomically), and `public-key.pem`.
 */

export const SNAPSHOT_FORMAT = 'canvass-snapshot/1';
export const CURRENT_FORMAT = 'canvass-current/1';

export const CURRENT_FILE = 'current.json';
export const PUBLIC_KEY_FILE = 'public-key.pem';
export const VERSIONS_DIR = 'v';

export const MANIFEST_FILE = 'manifest.json';
export const SIGNATURE_FILE = 'manifest.sig';
export const ELECTION_FILE = 'election.json';
export const STATIONS_FILE = 'stations.csv';
export const TURNOUT_FILE = 'turnout.csv';

/**
 * How station-level results are published.
 * - `grouped`: one file per division that has polling stations as children, `station-results/<parent>.json`, a JSON
 *   array of the stations' `DivisionResults`. One file per station does not scale: a million small files took
 *   longer to write than the 60 s budget and far longer to verify (see docs/publication.md for the figures).
 * - `none`: no station-level results files; a station's result is its protocol row in `stations.csv` (everything the
 *   results are computed from). For very large elections where the doubled volume is not wanted.
 */
export type StationResultsLayout = 'grouped' | 'none';
export const STATION_RESULTS_LAYOUTS: readonly StationResultsLayout[] = ['grouped', 'none'];

export const RESULTS_DIR = 'results';
export const STATION_RESULTS_DIR = 'station-results';

/** Results of one division that is not a polling station. */
export const resultsPath = (division: string) => `${RESULTS_DIR}/${division}.json`;
/** Results of the polling stations directly under `parent`. */
export const stationResultsPath = (parent: string) => `${STATION_RESULTS_DIR}/${parent}.json`;

/** `<results version, 10 digits>-<12 hex digits of the content digest>`: sorts in publication order. */
export const VERSION_PATTERN = /^(\d{10})-([0-9a-f]{12})$/;

export function versionName(resultsVersion: number, contentDigest: string): string {
  if (!Number.isSafeInteger(resultsVersion) || resultsVersion < 0 || resultsVersion >= 1e10)
    throw new RangeError(`results version ${resultsVersion} does not fit the 10-digit version name`);
  return `${String(resultsVersion).padStart(10, '0')}-${contentDigest.slice(0, 12)}`;
}

export const versionDir = (version: string) => `${VERSIONS_DIR}/${version}`;

/**
 * A relative path inside a version: `/`-separated segments of URL-safe characters, no `.` or `..` segments. Paths
 * read from a manifest are checked against this before anything is read, so a forged manifest cannot point a
 * verifier outside the snapshot.
 */
export function isSafeRelativePath(path: string): boolean {
  if (path.length === 0 || path.length > 400) return false;
  return path.split('/').every((segment) => /^[A-Za-z0-9._-]+$/.test(segment) && segment !== '.' && segment !== '..');
}
