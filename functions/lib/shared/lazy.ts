// Modules (SDK clients, jose) loaded on their first use rather than at a cold start: a deployed
// function builds each as a chunk of its own (infra/lambda.ts), read only when a call needs it.

/**
 * `load`, run once per container on the first call; a failed load is tried again on the next. No
 * side effects: a loader at module scope that a build never calls leaves its chunk out of it.
 */
/* @__NO_SIDE_EFFECTS__ */
export function lazily<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().catch((err: unknown) => {
      loading = undefined;
      throw err;
    });
    return loading;
  };
}
