// @kubernetes/client-node, initialised on first use instead of when the bundle loads: it is ~950 KB of
// the 1 MB bundle, and running its module code took ~25 ms of a ~55 ms activation that needs none of
// it (the session reads the kubeconfig just after activate() returns). Run-time uses go through
// clientLibrary(); lint keeps every other module to `import type` from the package.
import type * as ClientLibraryParts from './clientLibraryParts';

export function clientLibrary(): typeof ClientLibraryParts {
  // require() inside a function: esbuild wraps what it loads in a lazy initialiser, where a static
  // import would run at load time; Node caches it after the first call. Requiring the small parts
  // module, not the package, keeps the bundle tree-shaken.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./clientLibraryParts') as typeof ClientLibraryParts;
}
