// node:crypto in the page's bundle: the digest's SHA-256, synchronous as Node's (Web Crypto's is not).
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

export function createHash(algorithm: string) {
  if (algorithm !== 'sha256') throw new Error(`the page has no ${algorithm}`);
  const h = sha256.create();
  const hash = {
    update(data: Uint8Array) {
      h.update(data);
      return hash;
    },
    digest: (_enc: 'hex') => bytesToHex(h.digest()),
  };
  return hash;
}
