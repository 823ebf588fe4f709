// What google-oidc.ts takes from jose, and all it loads: imported on the first ID token to verify
// (the start of an exchange loads it meanwhile), not at cold start. Naming the three exports lets
// esbuild leave the rest of jose (JWE, signing, the other key types) out: 19 KB of 58.
export { createRemoteJWKSet, errors, jwtVerify } from 'jose';
