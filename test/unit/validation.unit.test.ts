// The create form's validation: every bad input the user can type, with the exact message shown on
// the exact field, and the ClusterSpec that good input becomes.
import * as assert from 'node:assert/strict';
import { defaultLimits, imageError, validateClusterForm } from '../../src/core/validation';
import type { ClusterFormInput, FormField, ValidationLimits } from '../../src/core/validation';
import { formInput } from './fixtures';

interface BadInput {
  what: string;
  input: Partial<ClusterFormInput>;
  limits?: Partial<ValidationLimits>;
  field: FormField;
  message: string;
}

const vm = { instanceType: 'vm', image: '' };
const withVms = { vmAvailable: true };
const labelChars = 'may use letters, digits, "-", "_" and ".", and must start and end with a letter or digit.';

const badInputs: BadInput[] = [
  { what: 'empty name', input: { name: '' }, field: 'name', message: 'Enter a cluster name.' },
  { what: 'name with a space', input: { name: 'my app' }, field: 'name', message: 'Spaces are not allowed; use "-" between words.' },
  { what: 'name with a leading space', input: { name: ' my-app' }, field: 'name', message: 'Spaces are not allowed; use "-" between words.' },
  { what: 'uppercase name', input: { name: 'My-App' }, field: 'name', message: 'Use lowercase letters only ("my-app").' },
  { what: 'name with an underscore', input: { name: 'my_app' }, field: 'name', message: 'Only lowercase letters, digits and "-" are allowed; remove "_".' },
  { what: 'name with a dot', input: { name: 'my.app' }, field: 'name', message: 'Only lowercase letters, digits and "-" are allowed; remove ".".' },
  { what: 'name with several bad characters', input: { name: 'a_b.c_d' }, field: 'name', message: 'Only lowercase letters, digits and "-" are allowed; remove "_", ".".' },
  { what: 'accented name', input: { name: 'café' }, field: 'name', message: 'Only lowercase letters, digits and "-" are allowed; remove "é".' },
  { what: 'non-Latin name', input: { name: '集群' }, field: 'name', message: 'Only lowercase letters, digits and "-" are allowed; remove "集", "群".' },
  { what: 'name of 61 characters', input: { name: 'a'.repeat(61) }, field: 'name', message: 'At most 60 characters, so that the namespace "<name>-ns" fits 63; this has 61.' },
  { what: 'name starting with "-"', input: { name: '-app' }, field: 'name', message: 'Start with a lowercase letter or digit, not "-".' },
  { what: 'name ending with "-"', input: { name: 'app-' }, field: 'name', message: 'End with a lowercase letter or digit, not "-".' },
  { what: 'name starting with kube-', input: { name: 'kube-apps' }, field: 'name', message: 'Names starting with "kube-" are reserved for Kubernetes system namespaces.' },

  { what: 'unknown instance type', input: { instanceType: 'lxc' }, field: 'instanceType', message: 'Choose container or vm.' },
  { what: 'empty instance type', input: { instanceType: '' }, field: 'instanceType', message: 'Choose container or vm.' },
  { what: 'instance type in capitals', input: { instanceType: 'VM' }, field: 'instanceType', message: 'Choose container or vm.' },
  { what: 'vm without the KubeVirt CRD', input: vm, field: 'instanceType', message: 'VMs need KubeVirt: the VirtualMachine CRD (kubevirt.io/v1) is not installed.' },

  { what: 'empty image', input: { image: '' }, field: 'image', message: 'Enter a container image, like nginx:1.27.' },
  { what: 'blank image', input: { image: '   ' }, field: 'image', message: 'Enter a container image, like nginx:1.27.' },
  { what: 'image with a space', input: { image: 'nginx latest' }, field: 'image', message: 'An image reference has no spaces.' },
  { what: 'uppercase image', input: { image: 'Nginx:1.27' }, field: 'image', message: '"Nginx:1.27" is not an image reference (registry/name:tag, lowercase).' },
  { what: 'image with "!"', input: { image: 'nginx!' }, field: 'image', message: '"nginx!" is not an image reference (registry/name:tag, lowercase).' },
  { what: 'image with an empty path part', input: { image: 'registry.example.com//app' }, field: 'image', message: '"registry.example.com//app" is not an image reference (registry/name:tag, lowercase).' },
  { what: 'image with a bad digest', input: { image: 'nginx:@1' }, field: 'image', message: 'The digest after "@" must be sha256: and 64 hexadecimal digits.' },
  { what: 'image with a bad tag', input: { image: 'nginx:.1' }, field: 'image', message: 'The tag ".1" may use letters, digits, "_", "." and "-" (at most 128, not starting with "." or "-").' },
  { what: 'image with an empty tag', input: { image: 'nginx:' }, field: 'image', message: 'The tag "" may use letters, digits, "_", "." and "-" (at most 128, not starting with "." or "-").' },
  { what: 'image too long', input: { image: 'a'.repeat(4097) }, field: 'image', message: 'The image reference is 4097 characters; at most 4096.' },

  { what: 'empty CPU', input: { cpu: '' }, field: 'cpu', message: 'Enter the CPU per instance.' },
  { what: 'zero CPU', input: { cpu: '0' }, field: 'cpu', message: 'CPU per instance must be more than 0.' },
  { what: 'negative CPU', input: { cpu: '-1' }, field: 'cpu', message: 'CPU per instance must be more than 0.' },
  { what: 'CPU as text', input: { cpu: 'two' }, field: 'cpu', message: 'CPU per instance must be a number of cores, like 2 or 0.5.' },
  { what: 'CPU with a decimal comma', input: { cpu: '1,5' }, field: 'cpu', message: 'CPU per instance must be a number of cores, like 2 or 0.5.' },
  { what: 'CPU as a quantity', input: { cpu: '500m' }, field: 'cpu', message: 'CPU per instance must be a number of cores, like 2 or 0.5.' },
  { what: 'CPU below a millicore', input: { cpu: '0.0001' }, field: 'cpu', message: 'CPU per instance must be at least 0.001 cores.' },
  { what: 'CPU finer than a millicore', input: { cpu: '1.0005' }, field: 'cpu', message: 'CPU per instance must be a whole number of millicores: 1.0005 cores is 1000.5 millicores.' },
  { what: 'CPU above the maximum', input: { cpu: '129' }, field: 'cpu', message: 'CPU per instance must be at most 128 cores.' },
  { what: 'CPU above a lowered maximum', input: { cpu: '9' }, limits: { maxCpuPerInstance: 8 }, field: 'cpu', message: 'CPU per instance must be at most 8 cores.' },
  { what: 'VM with half a core', input: { ...vm, cpu: '0.5' }, limits: withVms, field: 'cpu', message: 'A VM has whole cores: use 1, 2, 4…' },
  { what: 'VM with 1.5 cores', input: { ...vm, cpu: '1.5' }, limits: withVms, field: 'cpu', message: 'A VM has whole cores: use 1, 2, 4…' },
  { what: 'VM with zero cores', input: { ...vm, cpu: '0' }, limits: withVms, field: 'cpu', message: 'CPU per instance must be more than 0.' },

  { what: 'empty memory', input: { memoryGiB: '' }, field: 'memoryGiB', message: 'Enter the memory per instance.' },
  { what: 'zero memory', input: { memoryGiB: '0' }, field: 'memoryGiB', message: 'Memory per instance must be more than 0.' },
  { what: 'negative memory', input: { memoryGiB: '-2' }, field: 'memoryGiB', message: 'Memory per instance must be more than 0.' },
  { what: 'memory as text', input: { memoryGiB: 'four' }, field: 'memoryGiB', message: 'Memory per instance must be a number of GiB, like 2 or 0.5.' },
  { what: 'memory with a unit', input: { memoryGiB: '4Gi' }, field: 'memoryGiB', message: 'Memory per instance must be a number of GiB, like 2 or 0.5.' },
  { what: 'memory below 128 MiB', input: { memoryGiB: '0.1' }, field: 'memoryGiB', message: 'Memory per instance must be at least 0.125 GiB.' },
  { what: 'memory finer than a MiB', input: { memoryGiB: '0.3' }, field: 'memoryGiB', message: 'Memory per instance must be a whole number of MiB: 0.3 GiB is 307.2 MiB.' },
  { what: 'memory above the maximum', input: { memoryGiB: '1025' }, field: 'memoryGiB', message: 'Memory per instance must be at most 1024 GiB.' },

  { what: 'empty count', input: { count: '' }, field: 'count', message: 'Enter the number of instances.' },
  { what: 'zero count', input: { count: '0' }, field: 'count', message: 'A cluster needs at least 1 instance.' },
  { what: 'negative count', input: { count: '-1' }, field: 'count', message: 'A cluster needs at least 1 instance.' },
  { what: 'decimal count', input: { count: '1.5' }, field: 'count', message: 'The instance count must be a whole number.' },
  { what: 'count as text', input: { count: 'three' }, field: 'count', message: 'The instance count must be a whole number.' },
  { what: 'count above the default maximum', input: { count: '501' }, field: 'count', message: 'At most 500 instances (setting cmp.maxInstances).' },
  { what: 'count above maxInstances', input: { count: '11' }, limits: { maxInstances: 10 }, field: 'count', message: 'At most 10 instances (setting cmp.maxInstances).' },
  { what: 'count in exponent form', input: { count: '1e309' }, field: 'count', message: 'The instance count must be a whole number like 3, not the exponent form 1e309.' },
  { what: 'count in Arabic-Indic digits', input: { count: '٣' }, field: 'count', message: 'Type the count with the digits 0-9.' },
  { what: 'count with spaces', input: { count: ' 5 ' }, field: 'count', message: 'Type the count without spaces around it: 5.' },
  { what: 'count with a plus sign', input: { count: '+5' }, field: 'count', message: 'Type the count without a sign: 5.' },
  { what: 'count with a leading zero', input: { count: '05' }, field: 'count', message: 'Type the count without leading zeros: 5.' },
  { what: 'count of zeros', input: { count: '00' }, field: 'count', message: 'Type the count without leading zeros: 0.' },
  { what: 'count with a huge number of digits', input: { count: '9'.repeat(400) }, field: 'count', message: 'At most 500 instances (setting cmp.maxInstances).' },

  { what: 'quota CPU too small', input: { quotaCpu: '5' }, field: 'quotaCpu', message: "The quota's 5 cores cannot hold 3 × 2 = 6 cores." },
  { what: 'quota CPU too small for fractions', input: { cpu: '0.5', quotaCpu: '1.4' }, field: 'quotaCpu', message: "The quota's 1.4 cores cannot hold 3 × 0.5 = 1.5 cores." },
  { what: 'quota memory too small', input: { quotaMemoryGiB: '11' }, field: 'quotaMemoryGiB', message: "The quota's 11 GiB cannot hold 3 × 4 = 12 GiB." },
  { what: 'empty quota CPU', input: { quotaCpu: '' }, field: 'quotaCpu', message: 'Enter the quota CPU.' },
  { what: 'empty quota memory', input: { quotaMemoryGiB: '' }, field: 'quotaMemoryGiB', message: 'Enter the quota memory.' },
  { what: 'quota CPU as text', input: { quotaCpu: 'lots' }, field: 'quotaCpu', message: 'Quota CPU must be a number of cores, like 2 or 0.5.' },
  { what: 'negative quota CPU', input: { quotaCpu: '-6' }, field: 'quotaCpu', message: 'Quota CPU must be more than 0.' },
  { what: 'quota memory below a MiB', input: { quotaMemoryGiB: '0.0001' }, field: 'quotaMemoryGiB', message: 'Quota memory must be at least 1 MiB.' },
  { what: 'quota memory finer than a MiB', input: { quotaMemoryGiB: '12.3' }, field: 'quotaMemoryGiB', message: 'Quota memory must be a whole number of MiB: 12.3 GiB is 12595.2 MiB.' },

  { what: 'label without "="', input: { labels: 'team' }, field: 'labels', message: '"team" is not key=value.' },
  { what: 'label without a key', input: { labels: '=web' }, field: 'labels', message: 'A label needs a key before "=".' },
  { what: 'reserved label managed-by', input: { labels: 'managed-by=me' }, field: 'labels', message: '"managed-by" is set by CMP and cannot be overridden.' },
  { what: 'reserved label cluster', input: { labels: 'cluster=other' }, field: 'labels', message: '"cluster" is set by CMP and cannot be overridden.' },
  { what: 'reserved label cluster-namespace', input: { labels: 'cluster-namespace=false' }, field: 'labels', message: '"cluster-namespace" is set by CMP and cannot be overridden.' },
  { what: 'label key with a space', input: { labels: 'my team=web' }, field: 'labels', message: `Label key "my team" ${labelChars}` },
  { what: 'label key ending in "_"', input: { labels: 'team_=web' }, field: 'labels', message: `Label key "team_" ${labelChars}` },
  { what: 'label key name of 64 characters', input: { labels: `${'k'.repeat(64)}=v` }, field: 'labels', message: `Label key name "${'k'.repeat(64)}" is longer than 63 characters.` },
  { what: 'label key with an uppercase prefix', input: { labels: 'Example.com/team=web' }, field: 'labels', message: 'Label key prefix "Example.com" must be a lowercase DNS subdomain (like example.com).' },
  { what: 'label key with an empty prefix', input: { labels: '/team=web' }, field: 'labels', message: 'Label key "/team" has an empty prefix before "/".' },
  { what: 'label key with nothing after "/"', input: { labels: 'example.com/=web' }, field: 'labels', message: 'Label key "example.com/" needs a name after "/".' },
  { what: 'label value with a space', input: { labels: 'team=web app' }, field: 'labels', message: `Value of label "team" ${labelChars}` },
  { what: 'label value starting with "-"', input: { labels: 'team=-web' }, field: 'labels', message: `Value of label "team" ${labelChars}` },
  { what: 'label value of 64 characters', input: { labels: `team=${'v'.repeat(64)}` }, field: 'labels', message: 'Value of label "team" is longer than 63 characters.' },
  { what: 'label key given twice', input: { labels: 'team=web, team=api' }, field: 'labels', message: 'Label "team" is given twice.' },
  { what: 'label key given twice on two lines', input: { labels: 'team=web\ntier=front\nteam=api' }, field: 'labels', message: 'Label "team" is given twice.' },
];

describe('validateClusterForm', () => {
  it('has a table of at least 40 distinct bad inputs', () => {
    assert.ok(badInputs.length >= 40);
    assert.equal(new Set(badInputs.map((row) => row.what)).size, badInputs.length);
  });

  describe('rejects bad input with one message on the field at fault', () => {
    for (const row of badInputs) {
      it(`${row.what} → ${row.field}`, () => {
        const result = validateClusterForm(formInput(row.input), { ...defaultLimits, ...row.limits });
        assert.deepEqual(result.errors, { [row.field]: row.message });
        assert.equal(result.spec, undefined);
      });
    }
  });

  it('reports every wrong field at once', () => {
    const result = validateClusterForm(formInput({ name: '', image: '', cpu: '', memoryGiB: '', count: '', quotaCpu: '', quotaMemoryGiB: '', labels: 'x' }));
    assert.deepEqual(Object.keys(result.errors).sort(), ['count', 'cpu', 'image', 'labels', 'memoryGiB', 'name', 'quotaCpu', 'quotaMemoryGiB']);
    assert.equal(result.spec, undefined);
  });

  it('turns good input into the spec it describes', () => {
    assert.deepEqual(validateClusterForm(formInput()), {
      errors: {},
      spec: {
        name: 'my-app',
        instanceType: 'container',
        image: 'nginx:1.27',
        cpu: 2,
        memoryGiB: 4,
        count: 3,
        isolation: { resourceQuota: true, quotaCpu: 6, quotaMemoryGiB: 12, limitRange: true, networkPolicy: true, serviceAccount: true },
        labels: { team: 'web' },
      },
    });
  });

  it('accepts decimal sizes and a quota that holds them exactly', () => {
    const { errors, spec } = validateClusterForm(formInput({ cpu: '0.1', memoryGiB: '1.5', quotaCpu: '0.3', quotaMemoryGiB: '4.5' }));
    assert.deepEqual(errors, {});
    assert.equal(spec?.cpu, 0.1);
    assert.equal(spec?.memoryGiB, 1.5);
    assert.deepEqual([spec?.isolation.quotaCpu, spec?.isolation.quotaMemoryGiB], [0.3, 4.5]);
  });

  it('accepts ".5" and "2." and trims what the user typed', () => {
    const { errors, spec } = validateClusterForm(formInput({ cpu: ' .5 ', memoryGiB: '2.', count: '3', image: ' nginx:1.27 ' }));
    assert.deepEqual(errors, {});
    assert.deepEqual([spec?.cpu, spec?.memoryGiB, spec?.count, spec?.image], [0.5, 2, 3, 'nginx:1.27']);
  });

  it('ignores the quota fields, even garbage, when the quota is off', () => {
    const { errors, spec } = validateClusterForm(formInput({ resourceQuota: false, quotaCpu: 'x', quotaMemoryGiB: '' }));
    assert.deepEqual(errors, {});
    assert.deepEqual(spec?.isolation, { resourceQuota: false, limitRange: true, networkPolicy: true, serviceAccount: true });
  });

  it('asks a create for both quota limits; only an edit may leave one empty, for no limit', () => {
    const input = formInput({ quotaCpu: ' ', quotaMemoryGiB: '12' });
    assert.equal(validateClusterForm(input).errors.quotaCpu, 'Enter the quota CPU.');
    const { errors, spec } = validateClusterForm(input, { ...defaultLimits, quotaMayBeUnlimited: true });
    assert.deepEqual(errors, {});
    assert.deepEqual(spec?.isolation, { resourceQuota: true, quotaMemoryGiB: 12, limitRange: true, networkPolicy: true, serviceAccount: true });
  });

  it('keeps each guard rail switch as given', () => {
    const { spec } = validateClusterForm(formInput({ limitRange: false, networkPolicy: true, serviceAccount: false }));
    assert.deepEqual(spec?.isolation, { resourceQuota: true, quotaCpu: 6, quotaMemoryGiB: 12, limitRange: false, networkPolicy: true, serviceAccount: false });
  });

  it('allows VMs when the CRD is there, with whole cores and no image', () => {
    const { errors, spec } = validateClusterForm(formInput({ instanceType: 'vm', image: 'ignored for VMs', cpu: '4', quotaCpu: '12' }), { ...defaultLimits, vmAvailable: true });
    assert.deepEqual(errors, {});
    assert.equal(spec?.instanceType, 'vm');
    assert.equal(spec?.image, '');
    assert.equal(spec?.cpu, 4);
  });

  it('accepts the largest sizes and count the limits allow', () => {
    const limits = { ...defaultLimits, maxInstances: 10, maxCpuPerInstance: 8, maxMemoryGiBPerInstance: 16 };
    const { errors, spec } = validateClusterForm(formInput({ cpu: '8', memoryGiB: '16', count: '10', resourceQuota: false }), limits);
    assert.deepEqual(errors, {});
    assert.deepEqual([spec?.cpu, spec?.memoryGiB, spec?.count], [8, 16, 10]);
  });

  it('parses several labels, prefixed keys and empty values', () => {
    const { errors, spec } = validateClusterForm(formInput({ labels: 'team=web, example.com/owner=ana\ntier=' }));
    assert.deepEqual(errors, {});
    assert.deepEqual(spec?.labels, { team: 'web', 'example.com/owner': 'ana', tier: '' });
  });

  it('accepts no labels at all', () => {
    assert.deepEqual(validateClusterForm(formInput({ labels: '  \n ' })).spec?.labels, {});
  });
});

describe('imageError', () => {
  const good = [
    'nginx',
    'nginx:1.27',
    'library/nginx:latest',
    'registry.example.com:5000/team/app:v1.2-rc.1',
    'quay.io/org/some_image__name:Tag_1',
    `ghcr.io/owner/app@sha256:${'a'.repeat(64)}`,
  ];
  for (const image of good) {
    it(`accepts ${image}`, () => assert.equal(imageError(image), undefined));
  }
});

describe('imageError on hostile input', () => {
  it('answers a reference built to make a regular expression backtrack in well under 50 ms', () => {
    for (const segments of [22, 200, 2000]) {
      const image = `a/a${'-a'.repeat(segments)}!`;
      const started = performance.now();
      assert.match(imageError(image) ?? '', /is not an image reference/);
      const ms = performance.now() - started;
      assert.ok(ms < 50, `${segments} segments took ${ms.toFixed(1)} ms`);
    }
  });
  it('quotes at most 80 characters of what was typed', () => {
    const message = imageError(`${'a'.repeat(3000)}!`) ?? '';
    assert.ok(message.length < 200, message);
  });
  it('accepts the references registries use', () => {
    for (const image of ['nginx', 'nginx:1.27', 'library/nginx:1.27-alpine', 'localhost:5000/team/app:v1', 'registry.example.com/a/b__c--d.e_f:1.0', `app@sha256:${'0'.repeat(64)}`, `r.io/app:1@sha256:${'f'.repeat(64)}`]) {
      assert.equal(imageError(image), undefined, image);
    }
  });
});
