/** The one source of time. Token expiry, timestamps, step durations and delays all read it. */
export interface Clock {
  now(): Date;
  /** Resolves once the clock has advanced by ms (virtual time when frozen or offset). */
  sleep(ms: number): Promise<void>;
}
