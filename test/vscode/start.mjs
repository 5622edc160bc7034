// @ts-check
// `npm start`: installs the locked dependencies on a fresh clone, then starts the extension in a
// real VS Code (test/vscode/startSession.mjs). Only built-ins load before that check.
import { ensureDependencies } from '../support/ensureDependencies.mjs';

ensureDependencies('npm start');
await import('./startSession.mjs');
