// Runs inside a real VS Code extension host: the extension is loaded from the repo's build and
// activates without throwing.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const extensionId = 'cmp-platform.cmp-clusters';

describe('extension activation', () => {
  it(`loads ${extensionId} and activates it`, async () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, `${extensionId} is not among the loaded extensions`);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });
});
