// The HTML shell of our webviews: CSP default-src 'none', scripts only with a per-load nonce,
// styles and fonts only from the extension's built assets, and nothing inline without that nonce.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export function builtAssetsRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return { enableScripts: true, localResourceRoots: [builtAssetsRoot(extensionUri)], retainContextWhenHidden: false };
}

/** @param bundle the base name of a built webview bundle in dist/webview (script .js and style .css). */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, bundle: string, title: string): string {
  const nonce = randomBytes(16).toString('base64');
  const asset = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(builtAssetsRoot(extensionUri), file)).toString();
  const csp = [
    "default-src 'none'",
    // The toolkit (FAST) probes :focus-visible with a <style> element carrying the nonce it reads
    // from <meta property="csp-nonce">; without it the probe is a CSP violation and focus rings
    // fall back to :focus.
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `font-src ${webview.cspSource}`,
    `img-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta property="csp-nonce" content="${nonce}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset(`${bundle}.css`)}">
<title>${escapeHtml(title)}</title>
</head>
<body>
<main id="app" aria-live="polite"></main>
<script nonce="${nonce}" src="${asset(`${bundle}.js`)}"></script>
</body>
</html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
