import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface ServerKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** SPKI PEM of the public key, as served at /api/v1/ledger/public-key. */
  readonly publicKeyPem: string;
}

export const KEY_FILE = 'server-key.pem';

/**
 * The server's Ed25519 signing key, kept in the data directory (created with mode 0600 on first start). Every
 * instance of one deployment must use the same key: copy `server-key.pem` to each.
 */
export async function loadOrCreateServerKey(dataDir: string): Promise<ServerKey> {
  const path = join(dataDir, KEY_FILE);
  let pem: string;
  try {
    pem = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ed25519');
    pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    try {
      // 'wx': never overwrite a key another instance created a moment ago.
      await writeFile(path, pem, { mode: 0o600, flag: 'wx' });
    } catch (writeError) {
      if ((writeError as NodeJS.ErrnoException).code !== 'EEXIST') throw writeError;
      pem = await readFile(path, 'utf8');
    }
  }
  const privateKey = createPrivateKey(pem);
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString() };
}

/** A public key from a PEM file (SPKI) or a private key file (the public half is derived). */
export async function readPublicKey(path: string): Promise<KeyObject> {
  const pem = await readFile(path, 'utf8');
  return pem.includes('PRIVATE KEY') ? createPublicKey(createPrivateKey(pem)) : createPublicKey(pem);
}
