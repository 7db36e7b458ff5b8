/** A mistake in how the command was invoked (exit code 2). */
export class UsageError extends Error {}
