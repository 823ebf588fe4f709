// The one list of endpoints. The CDK stack makes one Lambda per row with exactly the access the
// row names; the local server mounts every row; a test checks each row against its file and tests.
// Adding an endpoint is: one file under functions/, one row here, its tests.

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Route {
  /** Stable id: names the function, its log group and its tests (test/**\/<id>.test.ts). */
  readonly id: string;
  /** Methods served at `path`; more than one only for an HTML page and its form post. */
  readonly methods: readonly Method[];
  /** API Gateway route path (`{param}`); the endpoint's Hono app serves it as `:param`. */
  readonly path: string;
  /** File under functions/ that exports `app` and `handler`. */
  readonly entry: string;
  /** AWS access of this function, and nothing more. */
  readonly access: {
    readonly table?: 'read' | 'readwrite';
    /**
     * Writes items in one BatchWriteItem (dynamodb:BatchWriteItem): login, its key and audit events
     * at one unit an item where a transaction bills two (login.ts says why no transaction).
     */
    readonly batchWrite?: boolean;
    /** May send mail (ses:SendEmail from the configured identity). */
    readonly mail?: boolean;
    /** Handles TOTP secrets: may read the key they are sealed under (services/mfa-secrets.ts). */
    readonly mfaKey?: boolean;
    /** Exchanges Google authorization codes: may read the OAuth client secret. */
    readonly googleSecret?: boolean;
    /** Calls Stripe: may read the secret key (adapters/stripe.ts). */
    readonly stripe?: boolean;
    /** Verifies Stripe's webhook signatures: may read the webhook signing secret. */
    readonly stripeWebhook?: boolean;
    /** Starts the account deletion workflow (infra/deletion.ts): states:StartExecution on it. */
    readonly deletion?: boolean;
  };
  /** Hashing passwords wants more memory and the CPU that comes with it. */
  readonly memoryMb?: number;
  /**
   * Concurrency reserved for (and capping) this route's function: the routes that hash passwords,
   * so that a flood costs at most this many busy functions (gatehouse:reservedConcurrency).
   */
  readonly reservedConcurrency?: number;
  /** Seconds before Lambda stops the function. @default 10 */
  readonly timeoutSeconds?: number;
  /**
   * API Gateway throttling of this route (requests per second, whole API), below the stage
   * default: a flood is shed before it costs Lambda time. Per-IP and per-address limits are the
   * functions' own (services/ip-ceilings.ts).
   */
  readonly throttle?: { readonly rateLimit: number; readonly burstLimit: number };
}

// 1,769 MB is one full vCPU: argon2id (19 MiB, t=2) is CPU-bound, and a fraction of a vCPU makes
// every login and signup slower in proportion.
const HASHING_MEMORY_MB = 1769;
/** Routes that call Stripe: room for its calls and one retry each (adapters/stripe.ts). */
const STRIPE_TIMEOUT_SECONDS = 25;
// These limits cover all callers together and act before the functions' per-IP ceilings, so they
// sit far above what one IP may send (0.5 to 1 a second): they cap what a distributed flood can
// cost, without letting one client shut a route for everyone. Per-IP limits at the edge need
// CloudFront with WAF in front (HTTP APIs take no WAF): docs/deploy.md.
/** Routes that hash a password or send mail: the dear ones. */
const COSTLY = { rateLimit: 50, burstLimit: 100 } as const;
/** Public routes that only read or write a few items. */
const PUBLIC = { rateLimit: 100, burstLimit: 200 } as const;

/**
 * The nested stacks the route functions are deployed in, one per concern (infra/api.ts): each route
 * costs about seven CloudFormation resources and a stack holds 500, so the routes leave the main
 * stack, and each concern's count is kept in view by test/infra/stack.test.ts.
 */
export const ROUTE_STACKS = ['Api', 'Console'] as const;
export type RouteStack = (typeof ROUTE_STACKS)[number];

/** The web console's pages are one concern; the JSON API and the pages its mails link to, the other. */
export const stackOf = (route: Pick<Route, 'path'>): RouteStack =>
  route.path === '/console' || route.path.startsWith('/console/') ? 'Console' : 'Api';

export const routes: readonly Route[] = [
  {
    id: 'free-users',
    methods: ['POST'],
    path: '/api/free_users',
    entry: 'free-users.ts',
    access: { table: 'readwrite', mail: true },
    memoryMb: HASHING_MEMORY_MB,
    reservedConcurrency: 20,
    throttle: COSTLY,
  },
  {
    id: 'signup',
    methods: ['POST'],
    path: '/api/signup',
    entry: 'signup.ts',
    access: { table: 'readwrite', mail: true, stripe: true },
    timeoutSeconds: STRIPE_TIMEOUT_SECONDS,
    memoryMb: HASHING_MEMORY_MB,
    reservedConcurrency: 20,
    throttle: COSTLY,
  },
  {
    id: 'confirm-email',
    methods: ['POST'],
    path: '/api/users/confirm_email',
    entry: 'confirm-email.ts',
    access: { table: 'readwrite' },
    throttle: PUBLIC,
  },
  {
    id: 'confirm-email-page',
    methods: ['GET', 'POST'],
    path: '/confirm-email',
    entry: 'confirm-email-page.ts',
    access: { table: 'readwrite' },
    throttle: PUBLIC,
  },
  {
    id: 'reconfirm-email',
    methods: ['PUT'],
    path: '/api/users/reconfirm_email',
    entry: 'reconfirm-email.ts',
    access: { table: 'readwrite', mail: true },
    throttle: COSTLY,
  },
  {
    id: 'login',
    methods: ['GET'],
    path: '/api/login',
    entry: 'login.ts',
    // Mail: the owner is told of a recovery code used, or of five wrong codes in a row.
    access: { table: 'readwrite', batchWrite: true, mail: true, mfaKey: true },
    memoryMb: HASHING_MEMORY_MB,
    reservedConcurrency: 50,
    throttle: { rateLimit: 100, burstLimit: 200 },
  },
  // The web console (docs/console.md): the login page takes the login's path (login-throttle,
  // second factor, new-device notice); its pages read the account with the session's key.
  {
    id: 'console-login',
    methods: ['GET', 'POST'],
    path: '/console/login',
    entry: 'console-login.ts',
    access: { table: 'readwrite', batchWrite: true, mail: true, mfaKey: true },
    memoryMb: HASHING_MEMORY_MB,
    reservedConcurrency: 20,
    throttle: COSTLY,
  },
  {
    id: 'console-google-start',
    methods: ['POST'],
    path: '/console/login/google',
    entry: 'console-google-start.ts',
    access: { table: 'readwrite' },
    throttle: PUBLIC,
  },
  // Hashes a password nobody knows when Google claims an unconfirmed account (as the poll does).
  {
    id: 'console-google-finish',
    methods: ['GET', 'POST'],
    path: '/console/login/google/finish',
    entry: 'console-google-finish.ts',
    // The second factor of an account with MFA on: its secret, and the notices.
    access: { table: 'readwrite', mail: true, mfaKey: true },
    memoryMb: HASHING_MEMORY_MB,
    throttle: PUBLIC,
  },
  {
    id: 'console-home',
    methods: ['GET'],
    path: '/console',
    entry: 'console-home.ts',
    access: { table: 'readwrite' },
    throttle: PUBLIC,
  },
  {
    id: 'console-security',
    methods: ['GET'],
    path: '/console/security',
    entry: 'console-security.ts',
    access: { table: 'readwrite' },
    throttle: PUBLIC,
  },
  {
    id: 'console-activity',
    methods: ['GET'],
    path: '/console/activity',
    entry: 'console-activity.ts',
    access: { table: 'readwrite' },
    throttle: PUBLIC,
  },
  {
    id: 'console-keys',
    methods: ['GET', 'POST'],
    path: '/console/keys',
    entry: 'console-keys.ts',
    access: { table: 'readwrite' },
    throttle: PUBLIC,
  },
  {
    id: 'console-password',
    methods: ['GET', 'POST'],
    path: '/console/password',
    entry: 'console-password.ts',
    // Mail: the notice of the change.
    access: { table: 'readwrite', mail: true },
    memoryMb: HASHING_MEMORY_MB,
    throttle: COSTLY,
  },
  {
    id: 'console-logout',
    methods: ['POST'],
    path: '/console/logout',
    entry: 'console-logout.ts',
    access: { table: 'readwrite' },
    throttle: PUBLIC,
  },
  {
    id: 'console-upgrade',
    methods: ['GET', 'POST'],
    path: '/console/upgrade',
    entry: 'console-upgrade.ts',
    // The card on file pays: this page never calls Stripe (the API's upgrade may, with a token).
    access: { table: 'readwrite' },
    throttle: PUBLIC,
  },
  {
    id: 'console-payment-method',
    methods: ['GET', 'POST'],
    path: '/console/account/payment-method',
    entry: 'console-payment-method.ts',
    // Stripe: the Checkout session, and back from it, the card it saved made the default.
    access: { table: 'readwrite', stripe: true },
    timeoutSeconds: STRIPE_TIMEOUT_SECONDS,
    throttle: PUBLIC,
  },
  {
    id: 'console-ssh-keys',
    methods: ['GET', 'POST'],
    path: '/console/ssh-keys',
    entry: 'console-ssh-keys.ts',
    // Mail: the notice of a key added.
    access: { table: 'readwrite', mail: true },
    throttle: PUBLIC,
  },
  {
    id: 'console-mfa',
    methods: ['GET', 'POST'],
    path: '/console/mfa',
    entry: 'console-mfa.ts',
    // Mail: the notices of each change; the password is checked to turn MFA off.
    access: { table: 'readwrite', mail: true, mfaKey: true },
    memoryMb: HASHING_MEMORY_MB,
    throttle: PUBLIC,
  },
  {
    id: 'console-address',
    methods: ['GET', 'POST'],
    path: '/console/address',
    entry: 'console-address.ts',
    // Mail: the link to the new address, the notice to the old; the password is checked again.
    access: { table: 'readwrite', mail: true },
    memoryMb: HASHING_MEMORY_MB,
    throttle: PUBLIC,
  },
  {
    id: 'console-key-create',
    methods: ['GET', 'POST'],
    path: '/console/keys/new',
    entry: 'console-key-create.ts',
    // The password (and with MFA on, a code) again; the owner is mailed of the new key.
    access: { table: 'readwrite', mail: true, mfaKey: true },
    memoryMb: HASHING_MEMORY_MB,
    throttle: PUBLIC,
  },
  {
    id: 'console-delete',
    methods: ['GET', 'POST'],
    path: '/console/delete',
    entry: 'console-delete.ts',
    // As the API's deletion: the password (and a code) again, the workflow started.
    access: { table: 'readwrite', mail: true, mfaKey: true, deletion: true },
    memoryMb: HASHING_MEMORY_MB,
    throttle: PUBLIC,
  },
  // What every page links: served by a function of its own, which holds nothing but the sheet.
  {
    id: 'console-style',
    methods: ['GET'],
    path: '/console/style.css',
    entry: 'console-style.ts',
    access: {},
    throttle: PUBLIC,
  },
  // The console's pages for someone not signed in: the API's signup and link requests, as forms.
  {
    id: 'console-signup',
    methods: ['GET', 'POST'],
    path: '/console/signup',
    entry: 'console-signup.ts',
    access: { table: 'readwrite', mail: true },
    memoryMb: HASHING_MEMORY_MB,
    reservedConcurrency: 10,
    throttle: COSTLY,
  },
  {
    id: 'console-resend',
    methods: ['GET', 'POST'],
    path: '/console/confirmation/resend',
    entry: 'console-resend.ts',
    access: { table: 'readwrite', mail: true },
    throttle: COSTLY,
  },
  {
    id: 'console-reset',
    methods: ['GET', 'POST'],
    path: '/console/password/reset',
    entry: 'console-reset.ts',
    access: { table: 'readwrite', mail: true },
    throttle: COSTLY,
  },
  // Key-authenticated routes write too: a key's last use is recorded, at most once an hour.
  {
    id: 'account',
    methods: ['GET'],
    path: '/api/users',
    entry: 'account.ts',
    access: { table: 'readwrite' },
  },
  {
    id: 'account-destroy',
    methods: ['DELETE'],
    path: '/api/users/destroy',
    entry: 'account-destroy.ts',
    access: { table: 'readwrite', mail: true, mfaKey: true, deletion: true },
    memoryMb: HASHING_MEMORY_MB,
  },
  {
    id: 'reset-password-request',
    methods: ['PUT'],
    path: '/api/users/reset_password',
    entry: 'reset-password-request.ts',
    access: { table: 'readwrite', mail: true },
    throttle: COSTLY,
  },
  {
    id: 'reset-password',
    methods: ['POST'],
    path: '/api/users/reset_password',
    entry: 'reset-password.ts',
    access: { table: 'readwrite', mail: true },
    memoryMb: HASHING_MEMORY_MB,
    throttle: COSTLY,
  },
  {
    id: 'reset-password-page',
    methods: ['GET', 'POST'],
    path: '/reset-password',
    entry: 'reset-password-page.ts',
    access: { table: 'readwrite', mail: true },
    memoryMb: HASHING_MEMORY_MB,
    throttle: COSTLY,
  },
  {
    id: 'change-password',
    methods: ['PATCH'],
    path: '/api/users/change_password',
    entry: 'change-password.ts',
    access: { table: 'readwrite', mail: true },
    memoryMb: HASHING_MEMORY_MB,
  },
  {
    id: 'email-change',
    methods: ['POST'],
    path: '/api/users/email',
    entry: 'email-change.ts',
    access: { table: 'readwrite', mail: true },
    memoryMb: HASHING_MEMORY_MB,
  },
  {
    id: 'email-change-confirm',
    methods: ['POST'],
    path: '/api/users/email/confirm',
    entry: 'email-change-confirm.ts',
    access: { table: 'readwrite', mail: true },
    throttle: PUBLIC,
  },
  {
    id: 'email-change-revoke',
    methods: ['POST'],
    path: '/api/users/email/revoke',
    entry: 'email-change-revoke.ts',
    access: { table: 'readwrite', mail: true },
    throttle: PUBLIC,
  },
  {
    id: 'email-change-confirm-page',
    methods: ['GET', 'POST'],
    path: '/confirm-email-change',
    entry: 'email-change-confirm-page.ts',
    access: { table: 'readwrite', mail: true },
    throttle: PUBLIC,
  },
  {
    id: 'email-change-revoke-page',
    methods: ['GET', 'POST'],
    path: '/revoke-email-change',
    entry: 'email-change-revoke-page.ts',
    access: { table: 'readwrite', mail: true },
    throttle: PUBLIC,
  },
  {
    id: 'account-activity',
    methods: ['GET'],
    path: '/api/users/events',
    entry: 'account-activity.ts',
    // readwrite: the key's last use is recorded (lib/http/auth.ts).
    access: { table: 'readwrite' },
  },
  {
    id: 'account-export',
    methods: ['POST'],
    path: '/api/users/export',
    entry: 'account-export.ts',
    access: { table: 'readwrite', mail: true },
    memoryMb: HASHING_MEMORY_MB,
  },
  {
    id: 'api-keys-list',
    methods: ['GET'],
    path: '/api/api_keys',
    entry: 'api-keys-list.ts',
    access: { table: 'readwrite' },
  },
  {
    id: 'api-keys-create',
    methods: ['POST'],
    path: '/api/api_keys',
    entry: 'api-keys-create.ts',
    access: { table: 'readwrite', mail: true, mfaKey: true },
    memoryMb: HASHING_MEMORY_MB,
  },
  {
    id: 'api-keys-regenerate',
    methods: ['POST'],
    path: '/api/api_keys/regenerate',
    entry: 'api-keys-regenerate.ts',
    access: { table: 'readwrite', mail: true },
    memoryMb: HASHING_MEMORY_MB,
  },
  // Before /{id}: the literal path wins (API Gateway picks it anyway; the local server in order).
  {
    id: 'api-keys-logout',
    methods: ['DELETE'],
    path: '/api/api_keys/current',
    entry: 'api-keys-logout.ts',
    access: { table: 'readwrite' },
  },
  {
    id: 'api-keys-revoke-others',
    methods: ['DELETE'],
    path: '/api/api_keys/others',
    entry: 'api-keys-revoke-others.ts',
    access: { table: 'readwrite' },
  },
  {
    id: 'api-keys-revoke',
    methods: ['DELETE'],
    path: '/api/api_keys/{id}',
    entry: 'api-keys-revoke.ts',
    access: { table: 'readwrite' },
  },
  {
    id: 'ssh-keys-list',
    methods: ['GET'],
    path: '/api/ssh_keys',
    entry: 'ssh-keys-list.ts',
    // readwrite: the key's last use is recorded (lib/http/auth.ts).
    access: { table: 'readwrite' },
  },
  {
    id: 'ssh-keys-add',
    methods: ['POST'],
    path: '/api/ssh_keys',
    entry: 'ssh-keys-add.ts',
    access: { table: 'readwrite', mail: true },
  },
  {
    id: 'ssh-keys-remove',
    methods: ['DELETE'],
    path: '/api/ssh_keys',
    entry: 'ssh-keys-remove.ts',
    access: { table: 'readwrite' },
  },
  {
    id: 'mfa-start',
    methods: ['POST'],
    path: '/api/mfa/start',
    entry: 'mfa-start.ts',
    access: { table: 'readwrite', mfaKey: true },
  },
  {
    id: 'mfa-verify',
    methods: ['POST'],
    path: '/api/mfa/verify',
    entry: 'mfa-verify.ts',
    access: { table: 'readwrite', mail: true, mfaKey: true },
  },
  {
    id: 'mfa-deactivate',
    methods: ['DELETE'],
    path: '/api/mfa',
    entry: 'mfa-deactivate.ts',
    access: { table: 'readwrite', mail: true, mfaKey: true },
    memoryMb: HASHING_MEMORY_MB,
  },
  {
    id: 'mfa-recovery-codes',
    methods: ['POST'],
    path: '/api/mfa/recovery_codes',
    entry: 'mfa-recovery-codes.ts',
    access: { table: 'readwrite', mail: true, mfaKey: true },
  },
  {
    id: 'oauth-google-start',
    methods: ['POST'],
    path: '/api/oauth/google',
    entry: 'oauth-google-start.ts',
    access: { table: 'readwrite' },
    throttle: PUBLIC,
  },
  {
    id: 'oauth-google-callback',
    methods: ['GET', 'POST'],
    path: '/oauth/google/callback',
    entry: 'oauth-google-callback.ts',
    // The page takes the second factor of an account with MFA on: its secret, and the notices.
    access: { table: 'readwrite', googleSecret: true, mail: true, mfaKey: true },
    throttle: PUBLIC,
  },
  // Hashes a password nobody knows when Google claims an unconfirmed account.
  {
    id: 'oauth-google-poll',
    methods: ['GET'],
    path: '/api/oauth/google/{session}',
    entry: 'oauth-google-poll.ts',
    access: { table: 'readwrite', mail: true, mfaKey: true },
    memoryMb: HASHING_MEMORY_MB,
    throttle: PUBLIC,
  },
  {
    id: 'oauth-google-id-token',
    methods: ['POST'],
    path: '/api/oauth/google/id_token',
    entry: 'oauth-google-id-token.ts',
    access: { table: 'readwrite', mail: true, mfaKey: true },
    memoryMb: HASHING_MEMORY_MB,
    throttle: PUBLIC,
  },
  {
    id: 'public-config',
    methods: ['GET'],
    path: '/api/public/config',
    entry: 'public-config.ts',
    access: {},
    throttle: PUBLIC,
  },
  {
    id: 'openapi',
    methods: ['GET'],
    path: '/api/openapi.json',
    entry: 'openapi.ts',
    access: {},
    throttle: PUBLIC,
  },
  {
    id: 'payment-methods-get',
    methods: ['GET'],
    path: '/api/payment_methods',
    entry: 'payment-methods-get.ts',
    access: { table: 'readwrite' },
  },
  {
    id: 'payment-methods-set',
    methods: ['PUT'],
    path: '/api/payment_methods',
    entry: 'payment-methods-set.ts',
    access: { table: 'readwrite', stripe: true },
    timeoutSeconds: STRIPE_TIMEOUT_SECONDS,
  },
  {
    id: 'invoices',
    methods: ['GET'],
    path: '/api/invoices',
    entry: 'invoices.ts',
    // readwrite: the key's last use is recorded (lib/http/auth.ts).
    access: { table: 'readwrite', stripe: true },
    timeoutSeconds: STRIPE_TIMEOUT_SECONDS,
  },
  {
    id: 'upgrade',
    methods: ['POST'],
    path: '/api/upgrade',
    entry: 'upgrade.ts',
    access: { table: 'readwrite', stripe: true },
    timeoutSeconds: STRIPE_TIMEOUT_SECONDS,
  },
  {
    id: 'stripe-webhook',
    methods: ['POST'],
    path: '/api/stripe/webhook',
    entry: 'stripe-webhook.ts',
    access: { table: 'readwrite', stripe: true, stripeWebhook: true },
    timeoutSeconds: STRIPE_TIMEOUT_SECONDS,
    throttle: PUBLIC,
  },
];
