// The channel framing of exec and port-forward WebSockets, and how a command's final Status reads.
import * as assert from 'node:assert/strict';
import { execOutcome, frame, resizeFrame, unframe } from '../../src/kube/streaming/channels';

describe('stream channels', () => {
  it('frames and unframes a message on its channel', () => {
    const message = frame(0, 'ls\r');
    assert.deepEqual([...message], [0, 0x6c, 0x73, 0x0d]);
    assert.deepEqual(unframe(message), { channel: 0, data: Buffer.from('ls\r') });
    assert.equal(unframe(Buffer.alloc(0)), undefined);
  });

  it('sends sizes as whole, positive columns and rows', () => {
    assert.equal(resizeFrame(80.7, 0).subarray(1).toString(), '{"Width":80,"Height":1}');
    assert.equal(resizeFrame(80, 24)[0], 4);
  });

  it('reads the exit code from Success, NonZeroExitCode, and runtimes that say "exit status N"', () => {
    assert.deepEqual(execOutcome('{"metadata":{},"status":"Success"}'), { kind: 'exited', code: 0 });
    assert.deepEqual(execOutcome(JSON.stringify({ status: 'Failure', reason: 'NonZeroExitCode', message: 'command terminated with non-zero exit code', details: { causes: [{ reason: 'ExitCode', message: '42' }] } })), { kind: 'exited', code: 42 });
    assert.deepEqual(execOutcome(JSON.stringify({ status: 'Failure', reason: 'InternalError', message: 'error executing command in container: cmd wait: sh -c exit 3: exit status 3' })), { kind: 'exited', code: 3 });
  });

  it('tells a missing executable from other failures', () => {
    const missing = execOutcome(JSON.stringify({ status: 'Failure', message: 'OCI runtime exec failed: exec: "bash": executable file not found in $PATH: unknown' }));
    assert.equal(missing.kind === 'failed' && missing.notFound, true);
    const other = execOutcome(JSON.stringify({ status: 'Failure', message: 'container not running' }));
    assert.deepEqual(other, { kind: 'failed', message: 'container not running', notFound: false });
    assert.deepEqual(execOutcome('not json'), { kind: 'failed', message: 'not json', notFound: false });
    assert.equal((execOutcome(JSON.stringify({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: 'x' }] } })) as { kind: string }).kind, 'failed');
  });
});
