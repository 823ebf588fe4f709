// What secrets-manager.ts takes from its SDK, and all it loads: imported on a container's first
// fetch of a secret (most requests of the functions that hold one never fetch it again, and some
// never fetch at all where the secret is given directly). Naming the two exports lets esbuild leave
// the rest of the client out, which importing the package would keep.
export { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
