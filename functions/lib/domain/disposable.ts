// Throwaway mail domains (the community-maintained list of disposable-email-domains-js, read from
// lists.ts on first use): an account on one cannot be recovered by its owner, and they feed signup
// abuse.
import { ValidationError } from './errors.ts';
import { listSet } from './lists.ts';

/** True for a listed domain and for any subdomain of one (`x.mailinator.com`). */
export function isDisposableDomain(domain: string): boolean {
  const domains = listSet('disposableDomains');
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
