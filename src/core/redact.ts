// Credentials out of any text that may reach the log or the UI: bearer and basic authorisation
// values, kubeconfig and OAuth secret fields (token, password, client-secret, key data…), PEM
// private keys and user:password in URLs. Pure, so every form has a unit test.

const secretKeys = [
  'token', 'id-token', 'refresh-token', 'access-token', 'access_token', 'refresh_token', 'id_token',
  'password', 'passwd', 'secret', 'client-secret', 'client_secret', 'clientSecret',
  'client-key-data', 'client-certificate-data', 'api-key', 'apikey', 'api_key',
];
const keyPattern = secretKeys.map((k) => k.replace(/[-_]/g, '[-_]?')).join('|');
// key: value, key=value, "key": "value" (YAML, flags, JSON); the value runs to a quote, comma,
// brace or whitespace.
const fieldPattern = new RegExp(`((?:${keyPattern})["']?\\s*[:=]\\s*["']?)[^\\s"',}]+`, 'gi');

export function redact(text: string): string {
  return text
    .replace(/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g, '[redacted private key]')
    .replace(/\b(bearer|basic)(\s+)[A-Za-z0-9\-._~+/]+=*/gi, '$1$2[redacted]')
    .replace(fieldPattern, '$1[redacted]')
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+:[^/\s@]+@/gi, '$1[redacted]@');
}
