// Credentials never reach the log or the UI: every form a token, secret or key can take in an
// error text, a kubeconfig line or a URL comes out as [redacted]; ordinary text is left alone.
import * as assert from 'node:assert/strict';
import { redact } from '../../src/core/redact';
import { parseFailure } from '../../src/kube/kubeconfigLoader';

describe('redact', () => {
  const cases: [string, string, string][] = [
    ['a bearer header', 'Authorization: Bearer eyJhbGciOi.J9x-_~+/abc=', 'Authorization: Bearer [redacted]'],
    ['a basic header', 'authorization: Basic dXNlcjpwYXNz', 'authorization: Basic [redacted]'],
    ['a kubeconfig token', '    token: sekrit-123', '    token: [redacted]'],
    ['an id-token in JSON', '{"id-token":"abc.def.ghi","x":1}', '{"id-token":"[redacted]","x":1}'],
    ['a client-secret', 'client-secret: s3cr3t', 'client-secret: [redacted]'],
    ['an OIDC client_secret flag', '--client_secret=s3cr3t now', '--client_secret=[redacted] now'],
    ['a password', 'password=hunter2', 'password=[redacted]'],
    ['key data', 'client-key-data: LS0tLS1CRUdJTi', 'client-key-data: [redacted]'],
    ['a private key block', 'x -----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY----- y', 'x [redacted private key] y'],
    ['a cut private key', 'x -----BEGIN EC PRIVATE KEY-----\nMIIE', 'x [redacted private key]'],
    ['credentials in a URL', 'proxy https://ana:pa55@proxy.example:3128 refused', 'proxy https://[redacted]@proxy.example:3128 refused'],
  ];
  for (const [what, text, expected] of cases) it(`cuts ${what}`, () => assert.equal(redact(text), expected));

  it('leaves ordinary messages alone', () => {
    const text = 'pods "instance-3" is forbidden: User "tenant" cannot create resource "pods" in namespace "a-ns" (https://127.0.0.1:6443)';
    assert.equal(redact(text), text);
  });
});

describe('parseFailure', () => {
  it('gives the reason and place of a YAML error, never the quoted lines', () => {
    const error = Object.assign(new Error('bad indentation of a mapping entry (6:4)\n\n 5 |     token: sekrit-token-123\n 6 |    bad: indent'), {
      name: 'YAMLException',
      reason: 'bad indentation of a mapping entry',
      mark: { line: 5, column: 3 },
    });
    assert.equal(parseFailure(error), 'not valid YAML: bad indentation of a mapping entry at line 6, column 4');
  });
  it('keeps only the first line of any other error, redacted', () => {
    assert.equal(parseFailure(new Error('token: abc is wrong\nmore: lines')), 'token: [redacted] is wrong');
  });
});
