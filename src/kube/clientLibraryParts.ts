// The parts of @kubernetes/client-node the extension uses at run time; loaded lazily through
// clientLibrary.ts so that bundling still drops the rest of the package.
export { dumpYaml, KubeConfig } from '@kubernetes/client-node';
