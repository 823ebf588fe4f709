// Where the console's pages are: a module of its own, so that the mail-link pages that point at
// them load no more than these strings.
export const CONSOLE = '/console';
export const LOGIN_PAGE = `${CONSOLE}/login`;
export const SIGNUP_PAGE = `${CONSOLE}/signup`;
export const RESEND_PAGE = `${CONSOLE}/confirmation/resend`;
export const RESET_PAGE = `${CONSOLE}/password/reset`;
export const UPGRADE_PAGE = `${CONSOLE}/upgrade`;
export const CARD_PAGE = `${CONSOLE}/account/payment-method`;
export const SSH_KEYS_PAGE = `${CONSOLE}/ssh-keys`;
export const MFA_PAGE = `${CONSOLE}/mfa`;
export const ADDRESS_PAGE = `${CONSOLE}/address`;
export const KEYS_PAGE = `${CONSOLE}/keys`;
export const NEW_KEY_PAGE = `${CONSOLE}/keys/new`;
export const SECURITY_PAGE = `${CONSOLE}/security`;
export const DELETE_PAGE = `${CONSOLE}/delete`;
export const ACTIVITY_PAGE_PATH = `${CONSOLE}/activity`;
/** Where the console's Google sign-in starts (a post) and where the callback sends it back. */
export const GOOGLE_START = `${LOGIN_PAGE}/google`;
export const GOOGLE_FINISH = `${LOGIN_PAGE}/google/finish`;
