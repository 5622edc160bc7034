// @ts-check
// Builds the control plane binaries from the pinned Go modules when the cache has none for the
// current sources: cmpplane (apiserver, controller-manager, scheduler, etcd), kubectl and kwok.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { formatDuration, heartbeatMs, runLongStep } from '../../support/longStep.mjs';
import { binDir, buildKey, harnessDir, kwokCrds, state } from './paths.mjs';
import { PlaneError } from './planeError.mjs';
import { isAlive } from './processes.mjs';

export const kubernetesVersion = 'v1.37.2';
const versionFlags = [
  `-X k8s.io/component-base/version.gitVersion=${kubernetesVersion}`,
  '-X k8s.io/component-base/version.gitMajor=1',
  '-X k8s.io/component-base/version.gitMinor=37',
  '-X k8s.io/component-base/version.gitTreeState=clean',
  `-X k8s.io/client-go/pkg/version.gitVersion=${kubernetesVersion}`,
].join(' ');

/** @typedef {{ dir: string, cmpplane: string, kubectl: string, kwok: string, crds: string, key: string }} Binaries */

/** @param {string} dir @returns {Binaries} */
function binariesIn(dir) {
  return {
    dir,
    key: dir.split('/').pop() ?? '',
    cmpplane: join(dir, 'cmpplane'),
    kubectl: join(dir, 'kubectl'),
    kwok: join(dir, 'kwok'),
    crds: join(dir, 'crds'),
  };
}

/** The cached binaries for the current sources, or null when they must be built. */
export function cachedBinaries() {
  const dir = binDir();
  return existsSync(join(dir, 'complete')) ? binariesIn(dir) : null;
}

function checkGo() {
  const result = spawnSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' });
  if (result.error) {
    throw new PlaneError(
      'Go is not installed or not on PATH (it builds the local control plane from upstream modules)',
      'install Go 1.26 or newer (apt-get install golang-go, or add its bin folder to PATH), then run again',
    );
  }
  return result.stdout.trim();
}

/**
 * Runs one go command in cwd, its output (with `-v`: each package as it compiles) appended to the
 * build log and summarised every 20 s; turns failures into one line.
 * @param {string[]} args @param {string} cwd @param {string} what
 */
async function runGo(args, cwd, what) {
  const logPath = join(state.logs, 'build.log');
  const result = await runLongStep({
    title: `building ${what}`,
    command: 'go',
    args,
    cwd,
    env: { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=readonly' },
    log: logPath,
    count: /^[^\s:]+$/,
    unit: 'packages compiled',
  });
  if (result.status === 0) {
    process.stderr.write(`  built ${what} in ${formatDuration(result.ms)}\n`);
    return;
  }
  if (result.error) throw new PlaneError(`building ${what}: could not run go (${result.error.message})`, 'install Go 1.26 or newer and put it on PATH');
  const output = readFileSync(logPath, 'utf8').split('\n').slice(-60).join('\n');
  const missing = output.match(/([\w./-]+@v[\w.+-]+): (?:reading|verifying|unknown revision|invalid version)[^\n]*/);
  if (missing) {
    throw new PlaneError(
      `building ${what}: the Go module proxy did not serve ${missing[1]} (${missing[0].slice(0, 160)})`,
      `check GOPROXY (go env GOPROXY) reaches the module proxy; if that version is gone, pin a served one in test/cluster/go.mod (log: ${logPath})`,
    );
  }
  const lastLine = output.trim().split('\n').filter((l) => l.trim()).pop() ?? `exit ${result.status}`;
  throw new PlaneError(`building ${what} failed: ${lastLine.slice(0, 200)}`, `read ${logPath} for the full compiler output`);
}

/** Drops half builds whose process is gone (a Ctrl-C or a crash mid-build). @param {string} finalDir */
function dropAbandonedBuilds(finalDir) {
  const parent = dirname(finalDir);
  if (!existsSync(parent)) return;
  const prefix = `${basename(finalDir)}.partial-`;
  for (const entry of readdirSync(parent)) {
    if (!entry.startsWith(prefix)) continue;
    const pid = Number(entry.slice(prefix.length));
    if (!isAlive(pid)) rmSync(join(parent, entry), { recursive: true, force: true });
  }
}

/** Builds everything into a fresh folder and moves it into place, so a half build is never used. */
export async function buildBinaries() {
  const goVersion = checkGo();
  mkdirSync(state.logs, { recursive: true });
  const key = buildKey();
  const finalDir = binDir(key);
  dropAbandonedBuilds(finalDir);
  const workDir = `${finalDir}.partial-${process.pid}`;
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(join(workDir, 'crds'), { recursive: true });
  const bins = binariesIn(workDir);
  const ldflags = `-s -w ${versionFlags}`;
  const started = Date.now();
  process.stderr.write(
    `building the local control plane (Kubernetes ${kubernetesVersion}) from Go modules with ${goVersion}, once per machine:\n` +
      `  about 20 min on 2 cores with empty Go caches, 1-2 min with a warm GOCACHE; progress every ${heartbeatMs / 1000} s; log: ${join(state.logs, 'build.log')}\n`,
  );
  try {
    await runGo(['build', '-v', '-trimpath', '-ldflags', ldflags, '-o', bins.cmpplane, './cmd/cmpplane'], harnessDir, 'cmpplane (kube-apiserver, controller-manager, scheduler, etcd in one binary; step 1 of 3, the long one)');
    await runGo(['build', '-v', '-trimpath', '-ldflags', ldflags, '-o', bins.kubectl, 'k8s.io/kubernetes/cmd/kubectl'], harnessDir, 'kubectl (step 2 of 3)');
    const kwokModule = join(harnessDir, 'kwok');
    await runGo(['build', '-v', '-trimpath', '-ldflags', '-s -w', '-o', bins.kwok, 'sigs.k8s.io/kwok/cmd/kwok'], kwokModule, 'kwok, the fake nodes (step 3 of 3)');
    const kwokSource = spawnSync('go', ['list', '-m', '-f', '{{.Dir}}', 'sigs.k8s.io/kwok'], { cwd: kwokModule, encoding: 'utf8' }).stdout.trim();
    for (const crd of kwokCrds) {
      cpSync(join(kwokSource, 'kustomize', 'crd', 'bases', `kwok.x-k8s.io_${crd}.yaml`), join(bins.crds, `${crd}.yaml`));
    }
    writeFileSync(join(workDir, 'complete'), `${new Date().toISOString()} built in ${Math.round((Date.now() - started) / 1000)}s\n`);
    rmSync(finalDir, { recursive: true, force: true });
    renameSync(workDir, finalDir);
  } catch (error) {
    rmSync(workDir, { recursive: true, force: true });
    throw error;
  }
  process.stderr.write(`built the local control plane in ${formatDuration(Date.now() - started)} into ${finalDir}\n`);
  return binariesIn(finalDir);
}

/** The binaries for the current sources, building them first when the cache has none. */
export async function ensureBinaries() {
  return cachedBinaries() ?? (await buildBinaries());
}
