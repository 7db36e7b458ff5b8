export interface IdGenerator {
  /** A new UUID. Deterministic generators derive it from a seed and a name. */
  uuid(scope?: string): string;
}
