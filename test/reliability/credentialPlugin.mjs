// @ts-check
// A kubeconfig exec credential plugin for the credentials tests: counts its runs in
// $CMP_PLUGIN_STATE/runs, and by $CMP_PLUGIN_MODE answers with the certificate in
// $CMP_PLUGIN_STATE/a.{crt,key} ("static"), that one first and b.{crt,key} on later runs ("rotate",
// each valid for one second past the client's renewal margin), or fails with a token on stderr ("leak").
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const state = process.env.CMP_PLUGIN_STATE ?? '.';
const mode = process.env.CMP_PLUGIN_MODE ?? 'static';
appendFileSync(join(state, 'runs'), `${process.pid}\n`);
const runs = readFileSync(join(state, 'runs'), 'utf8').trim().split('\n').length;
// Slow enough that fifty concurrent requests all ask while the first run is under way.
await new Promise((done) => setTimeout(done, 300));
if (mode === 'leak') {
  process.stderr.write('error: token=abc-SECRET-123 and raw ghp_SECRETSECRET rejected\n');
  process.exit(3);
}
const which = mode === 'rotate' && runs > 1 ? 'b' : 'a';
const status = {
  clientCertificateData: readFileSync(join(state, `${which}.crt`), 'utf8'),
  clientKeyData: readFileSync(join(state, `${which}.key`), 'utf8'),
  ...(mode === 'rotate' ? { expirationTimestamp: new Date(Date.now() + 31_000).toISOString() } : {}),
};
process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status }));
