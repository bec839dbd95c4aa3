/**
 * Where a snapshot is read from: a directory on disk or an http(s) URL (read with the global `fetch`). Paths are
 * relative to the snapshot root (the directory holding `current.json`) and checked before use.
 */
import { readFileSync } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { inputError } from '../files/input-error.js';
import { CURRENT_FILE, MANIFEST_FILE, VERSION_PATTERN, isSafeRelativePath } from '../publish/snapshot-layout.js';

export interface SnapshotSource {
  /** The snapshot root, for messages. */
  readonly label: string;
  /** The bytes of `path`, or undefined when there is no such file. Other failures throw an `InputError`. */
  read(path: string): Promise<Uint8Array | undefined>;
  /** Every file under the directory `dir` (relative to the root), or undefined when the source cannot list (URLs). */
  list(dir: string): Promise<string[] | undefined>;
  /**
   * `read`, done now (absent for URLs): for a directory on disk, thousands of small files read synchronously cost
   * the thread a fraction of what their promise-based reads do (open, stat, read and close, each a callback).
   */
  readonly readNow?: ((path: string) => Uint8Array | undefined) | undefined;
  /** Where `path` lies on this machine, for a thread that reads it itself; absent for URLs. */
  readonly localPath?: ((path: string) => string) | undefined;
}

export interface LocatedSnapshot {
  readonly root: SnapshotSource;
  /** The version to verify: from `current.json`, or the version directory that was given. */
  readonly version: string;
  readonly via: 'current.json' | 'version directory';
  /** The bytes of `current.json` when it was followed. */
  readonly current?: Uint8Array | undefined;
}

const isUrl = (source: string) => /^https?:\/\//i.test(source);

/**
 * Finds the snapshot a user named: a snapshot root (with `current.json`), a version directory (with
 * `manifest.json`, inside `v/`), or either file itself. Throws an `InputError` (exit code 2) when it is none of these.
 */
export async function locateSnapshot(source: string): Promise<LocatedSnapshot> {
  if (isUrl(source)) return locateUrl(source);
  return locateDirectory(source);
}

async function locateDirectory(source: string): Promise<LocatedSnapshot> {
  let dir = resolve(source);
  let info;
  try {
    info = await stat(dir);
  } catch {
    throw inputError(source, 'snapshot-readable', 'no such file or directory');
  }
  if (info.isFile()) {
    const name = basename(dir);
    if (name !== CURRENT_FILE && name !== MANIFEST_FILE)
      throw inputError(source, 'snapshot-readable', `give the snapshot directory (with ${CURRENT_FILE}) or a version directory`);
    dir = dirname(dir);
  }
  const rootAt = directorySource(dir);
  const current = await rootAt.read(CURRENT_FILE);
  if (current) return { root: rootAt, version: versionFromPointer(source, current), via: 'current.json', current };
  if (await rootAt.read(MANIFEST_FILE)) {
    const version = basename(dir);
    if (!VERSION_PATTERN.test(version) || basename(dirname(dir)) !== 'v')
      throw inputError(
        source,
        'snapshot-layout',
        `a version directory is v/<version>; "${version}" is not inside v/ or not a version name`,
      );
    return { root: directorySource(resolve(dir, '..', '..')), version, via: 'version directory' };
  }
  throw inputError(source, 'snapshot-readable', `not a snapshot: neither ${CURRENT_FILE} nor ${MANIFEST_FILE} is there`);
}

async function locateUrl(source: string): Promise<LocatedSnapshot> {
  let base = new URL(source);
  if (base.pathname.endsWith(`/${CURRENT_FILE}`) || base.pathname.endsWith(`/${MANIFEST_FILE}`)) base = new URL('.', base);
  if (!base.pathname.endsWith('/')) base = new URL(`${base.pathname}/${base.search}`, base);
  const rootAt = urlSource(base);
  const current = await rootAt.read(CURRENT_FILE);
  if (current) return { root: rootAt, version: versionFromPointer(source, current), via: 'current.json', current };
  if (await rootAt.read(MANIFEST_FILE)) {
    const segments = base.pathname.split('/').filter((s) => s !== '');
    const version = segments[segments.length - 1] ?? '';
    if (!VERSION_PATTERN.test(version) || segments[segments.length - 2] !== 'v')
      throw inputError(source, 'snapshot-layout', `a version URL ends in v/<version>/; "${version}" is not a version name`);
    return { root: urlSource(new URL('../../', base)), version, via: 'version directory' };
  }
  throw inputError(source, 'snapshot-readable', `not a snapshot: neither ${CURRENT_FILE} nor ${MANIFEST_FILE} is there`);
}

function versionFromPointer(source: string, bytes: Uint8Array): string {
  let pointer: unknown;
  try {
    pointer = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw inputError(source, 'current-json', `${CURRENT_FILE} is not valid JSON: ${(error as Error).message}`);
  }
  const version = typeof pointer === 'object' && pointer !== null ? (pointer as Record<string, unknown>)['version'] : undefined;
  if (typeof version !== 'string' || !VERSION_PATTERN.test(version))
    throw inputError(source, 'current-json', `${CURRENT_FILE} does not name a version (expected "version": "<10 digits>-<12 hex digits>")`);
  return version;
}

function checkPath(label: string, path: string): void {
  if (!isSafeRelativePath(path)) throw inputError(label, 'snapshot-path', `refusing to read "${path}": not a plain relative path`);
}

export function directorySource(root: string): SnapshotSource {
  const unreadable = (path: string, error: unknown): Uint8Array | undefined => {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return undefined;
    throw inputError(join(root, path), 'snapshot-readable', `cannot read the file: ${(error as Error).message}`);
  };
  return {
    label: root,
    async read(path) {
      checkPath(root, path);
      try {
        return await readFile(join(root, ...path.split('/')));
      } catch (error) {
        return unreadable(path, error);
      }
    },
    readNow(path) {
      checkPath(root, path);
      try {
        return readFileSync(join(root, ...path.split('/')));
      } catch (error) {
        return unreadable(path, error);
      }
    },
    localPath(path) {
      checkPath(root, path);
      return join(root, ...path.split('/'));
    },
    async list(dir) {
      checkPath(root, dir);
      const at = join(root, ...dir.split('/'));
      try {
        const entries = await readdir(at, { recursive: true, withFileTypes: true });
        // Each directory's prefix worked out once (thousands of files share a few directories).
        const prefixes = new Map<string, string>();
        const prefix = (dir: string) => {
          let known = prefixes.get(dir);
          if (known === undefined) {
            const inside = relative(at, dir);
            known = inside === '' ? '' : `${inside.split(sep).join('/')}/`;
            prefixes.set(dir, known);
          }
          return known;
        };
        return entries.filter((e) => e.isFile()).map((e) => prefix(e.parentPath) + e.name);
      } catch {
        return undefined;
      }
    },
  };
}

export function urlSource(base: URL): SnapshotSource {
  return {
    label: base.href,
    async read(path) {
      checkPath(base.href, path);
      const url = new URL(path, base);
      let response: Response;
      try {
        response = await fetch(url);
      } catch (error) {
        throw inputError(url.href, 'snapshot-readable', `cannot fetch: ${(error as Error).message}`);
      }
      if (response.status === 404 || response.status === 410) {
        await response.body?.cancel();
        return undefined;
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw inputError(url.href, 'snapshot-readable', `the server answered HTTP ${response.status}`);
      }
      return new Uint8Array(await response.arrayBuffer());
    },
    list() {
      return Promise.resolve(undefined);
    },
  };
}
