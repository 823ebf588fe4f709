// How the CLI fails: a usage error exits 2, anything the API or a check refused exits 1. Messages
// are shown plainly; never a stack trace.

/** Wrong command, flag or missing answer: exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
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
      field ? `${field.replace(/_/g, ' ')} ${m}` : String(m),
    ),
  );
}
