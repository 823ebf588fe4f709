import { config } from '#shared/config.ts';

/** Links in mails point at PUBLIC_BASE_URL, never at the request's Host header. */
export function publicLink(page: string, token: string): string {
  return `${config().publicBaseUrl}/${page}?token=${encodeURIComponent(token)}`;
}
