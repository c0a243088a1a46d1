/**
 * The CEF names and severities of the legacy stack's authentication refusals, kept so that
 * existing alerting rules still match. Every record uses the signature `AuthFail`.
 */
export const refusals = {
  noHeader: { name: 'No Authorization header was provided', severity: 7 },
  unknownScheme: { name: 'Authorization header contains unknown protocol', severity: 7 },
  badEncoding: { name: 'Authorization header is badly encoded', severity: 7 },
  urlMismatch: { name: 'Username Does Not Match URL', severity: 7 },
  badUsername: { name: 'Username contains invalid characters', severity: 7 },
  passwordNotUtf8: { name: 'Password is not utf-8 encoded', severity: 7 },
  failed: { name: 'User Authentication Failed', severity: 5 },
  backendDown: { name: 'Authentication backend unavailable', severity: 5 },
} as const;

export type Refusal = (typeof refusals)[keyof typeof refusals];

export const authFailSignature = 'AuthFail';
