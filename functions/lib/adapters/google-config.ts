// Google's public settings: what starting a sign-in needs (the client id, the endpoints, our
// redirect URI), apart from the code exchange (google-oidc.ts), which holds the client secret.
import { NotConfiguredError } from '#domain/errors.ts';
import { config, type GoogleConfig, googleSettings } from '#shared/config.ts';

export const GOOGLE_NOT_CONFIGURED = 'Google sign-in is not configured on this server.';

/** Google's configuration, or 501 where this deployment has none. */
export function googleConfig(): GoogleConfig {
  const google = googleSettings();
  if (!google) throw new NotConfiguredError(GOOGLE_NOT_CONFIGURED);
  return google;
}

export const googleRedirectUri = (): string => `${config().publicBaseUrl}/oauth/google/callback`;
