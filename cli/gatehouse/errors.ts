// How the CLI fails: a usage error exits 2, anything the API or a check refused exits 1. Messages
// are shown plainly; never a stack trace.

/** Wrong command, flag or missing answer: exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Ctrl-C at a question: exit 130, as shells expect of an interrupted command. */
export class InterruptError extends Error {
  override name = 'InterruptError';
}

/** The API or a local check refused: exit 1, with the messages to show. */
export class CliError extends Error {
  override name = 'CliError';
}

/** The contract's error body, `{errors: {field: [messages]}}`, as lines a person reads. */
export function errorLines(body: unknown): string[] {
  const errors = (body as { errors?: Record<string, unknown> } | undefined)?.errors;
  if (!errors || typeof errors !== 'object') return [];
  return Object.entries(errors).flatMap(([field, messages]) =>
    (Array.isArray(messages) ? messages : [messages]).map((m) =>
      // "is incorrect" needs its field to read; "That code is not right." is a sentence already.
      field && /^[a-z]/.test(String(m)) ? `${field.replace(/_/g, ' ')} ${m}` : String(m),
    ),
  );
}
