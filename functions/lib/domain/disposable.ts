// Throwaway mail domains (the community-maintained list, via disposable-email-domains-js):
// an account on one cannot be recovered by its owner, and they feed signup abuse.
import { disposableEmailBlocklistSet } from 'disposable-email-domains-js';
import { ValidationError } from './errors.ts';

let domains: Set<string> | undefined;

/** True for a listed domain and for any subdomain of one (`x.mailinator.com`). */
export function isDisposableDomain(domain: string): boolean {
  domains ??= disposableEmailBlocklistSet();
  const labels = domain.toLowerCase().split('.');
  for (let i = 0; i < labels.length - 1; i++) {
    if (domains.has(labels.slice(i).join('.'))) return true;
  }
  return false;
}

/** Refuses a normalized address on a disposable domain, under `field`. */
export function checkNotDisposable(email: string, field = 'email'): void {
  if (isDisposableDomain(email.slice(email.lastIndexOf('@') + 1))) {
    throw new ValidationError(field, 'is a disposable address; use one you will keep');
  }
}
