import { createHash, randomUUID } from 'crypto';
import { IdGenerator } from './ports/ids';

export class RandomIds implements IdGenerator {
  uuid(): string {
    return randomUUID();
  }
}

/** Name-based UUIDs (RFC 4122 version 5 layout over SHA-1): the same seed and scope give the same id. */
export class SeededIds implements IdGenerator {
  private counter = 0;

  constructor(private readonly seed: string) {}

  uuid(scope?: string): string {
    return nameUuid(`${this.seed}\u0000${scope ?? `#${++this.counter}`}`);
  }
}

export function nameUuid(name: string): string {
  const bytes = createHash('sha1').update(name).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
