import { createHash, hash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** One-shot hashing: about three times faster than a Hash object for the small inputs of cache keys. */
export function sha256(text: string | Uint8Array): string {
  return hash('sha256', text, 'hex');
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
