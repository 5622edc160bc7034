// Ports typed for a port forward, the forward's label and address, and the terminal's shell list.
import * as assert from 'node:assert/strict';
import { forwardLabel, forwardUrl, parsePort } from '../../src/core/ports';
import { automaticShellList, shellsFromSetting } from '../../src/core/shellCommand';

describe('ports', () => {
  it('takes 1-65535, and an empty local port as "any free one"', () => {
    assert.deepEqual(parsePort('1', 'remote'), { value: 1 });
    assert.deepEqual(parsePort('65535', 'local'), { value: 65535 });
    assert.deepEqual(parsePort('', 'local'), { value: 0 });
  });

  it('refuses 0, 65536, words, signs, spaces and leading zeros, each with its own sentence', () => {
    assert.deepEqual(parsePort('0', 'remote'), { error: 'Port 0 is out of range: ports go from 1 to 65535.' });
    assert.deepEqual(parsePort('65536', 'local'), { error: 'Port 65536 is out of range: ports go from 1 to 65535 (leave it empty for a free one).' });
    assert.deepEqual(parsePort('abc', 'remote'), { error: '"abc" is not a port: type a whole number from 1 to 65535.' });
    assert.deepEqual(parsePort('-80', 'remote'), { error: '"-80" is not a port: type a whole number from 1 to 65535.' });
    assert.deepEqual(parsePort('8.5', 'remote'), { error: '"8.5" is not a port: type a whole number from 1 to 65535.' });
    assert.deepEqual(parsePort(' 80', 'remote'), { error: 'Type the port without spaces around it: 80.' });
    assert.deepEqual(parsePort('080', 'remote'), { error: 'Type the port without leading zeros: 80.' });
    assert.deepEqual(parsePort('', 'remote'), { error: 'Enter the port on the instance (1-65535).' });
    assert.deepEqual(parsePort('٨٠', 'remote'), { error: '"٨٠" is not a port: type a whole number from 1 to 65535.' });
  });

  it('names a forward and its address', () => {
    assert.equal(forwardLabel({ localPort: 18080, cluster: 'my-app', instance: 'instance-0', remotePort: 80 }), 'localhost:18080 → my-app/instance-0:80');
    assert.equal(forwardUrl({ localPort: 18080, remotePort: 80 }), 'http://127.0.0.1:18080/');
    assert.equal(forwardUrl({ localPort: 18443, remotePort: 443 }), 'https://127.0.0.1:18443/');
  });

  it('reads cmp.terminalShell: empty is bash then sh, else one program and its arguments', () => {
    assert.deepEqual(shellsFromSetting(''), { shells: automaticShellList });
    assert.deepEqual(shellsFromSetting(' /bin/zsh  -l '), { shells: [['/bin/zsh', '-l']] });
    assert.equal(shellsFromSetting('bash\u0007').problem, 'cmp.terminalShell is not a program with arguments (too long, or control characters); using bash, then sh');
  });
});
