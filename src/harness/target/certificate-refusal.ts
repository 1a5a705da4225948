/**
 * How Node reports a server certificate it refused: the error's code is OpenSSL's verify result
 * (X509_V_ERR_* without its prefix), or Node's own name check.
 */
const REFUSED = new Set([
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REVOKED',
  'INVALID_CA',
  'INVALID_PURPOSE',
  'PATH_LENGTH_EXCEEDED',
  'HOSTNAME_MISMATCH',
  'IP_ADDRESS_MISMATCH',
]);

export function isCertificateRefusal(error: unknown): boolean {
  return REFUSED.has((error as NodeJS.ErrnoException | undefined)?.code ?? '');
}

/** What to do about it, said where a run ends on it. */
export const CERTIFICATE_HINT =
  'its certificate was refused: give the certificate that signed it with --ca, and in the URL a name it was issued for';
