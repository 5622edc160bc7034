// Errors from the Kubernetes API as one type: HTTP status, the API's reason and message, and a
// sentence a person can act on. Network failures become status 0 with the cause named.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly details?: { causes?: { field?: string; message?: string; reason?: string }[] },
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }

  get isConflict(): boolean {
    return this.status === 409;
  }

  get isForbidden(): boolean {
    return this.status === 403;
  }

  get isGone(): boolean {
    return this.status === 410;
  }

  get isUnreachable(): boolean {
    return this.status === 0;
  }
}

/** Builds an ApiError from a response body (a metav1.Status when the API answered). */
export function apiErrorFromResponse(status: number, bodyText: string, what: string): ApiError {
  try {
    const parsed = JSON.parse(bodyText) as { kind?: string; reason?: string; message?: string; details?: ApiError['details'] };
    if (parsed.kind === 'Status' && parsed.message) return new ApiError(status, parsed.reason ?? '', parsed.message, parsed.details);
  } catch {
    // not JSON: fall through to a message built from the status
  }
  // No status at all: the answer never came (a connection that went away), which may pass.
  if (status === 0) return new ApiError(0, 'Unreachable', `${what}: the connection closed before the server answered`);
  const reasons: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 409: 'Conflict', 410: 'Gone', 429: 'TooManyRequests', 500: 'InternalError', 503: 'ServiceUnavailable' };
  const reason = reasons[status] ?? `HTTP ${status}`;
  const text = bodyText.trim().slice(0, 200);
  return new ApiError(status, reason, `${what}: ${reason}${text ? ` (${text})` : ''}`);
}

const networkCauses: Record<string, string> = {
  ECONNREFUSED: 'connection refused (is the cluster running?)',
  ENOTFOUND: 'host not found',
  EHOSTUNREACH: 'host unreachable',
  ETIMEDOUT: 'connection timed out',
  ECONNRESET: 'connection reset',
  CERT_HAS_EXPIRED: 'the server certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the server certificate is self-signed and not trusted by the kubeconfig',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the server certificate is not trusted by the kubeconfig',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the server certificate does not match its address',
};

export function apiErrorFromNetwork(error: unknown, server: string): ApiError {
  if ((error as { name?: string }).name === 'AbortError') return new ApiError(0, 'Cancelled', 'Cancelled.');
  const code = (error as { code?: string }).code ?? '';
  const cause = networkCauses[code] ?? (error instanceof Error ? error.message : String(error));
  return new ApiError(0, 'Unreachable', `Cannot reach ${server}: ${cause}`);
}

/** A one-line message for any error, suitable for the UI. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
