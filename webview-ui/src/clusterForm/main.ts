// Browser side of the cluster form webview (placeholder until the form lands).
export {};
