// Cluster names and labels outside the form: names the API server accepts, and how label text is
// parsed into pairs (validation.unit.test.ts holds the messages for bad input).
import * as assert from 'node:assert/strict';
import { clusterNameError, labelKeyError, labelValueError, parseLabels } from '../../src/core/nameRules';

describe('nameRules', () => {
  it('accepts DNS-1123 names up to 60 characters', () => {
    for (const name of ['a', 'my-app', '123', 'a--b', 'kube', 'x-kube-y', 'a'.repeat(60)]) assert.equal(clusterNameError(name), undefined, name);
  });

  it('names invisible characters in a cluster name by code point', () => {
    assert.equal(clusterNameError('\u202eevil'), 'Only lowercase letters, digits and "-" are allowed; remove U+202E.');
    assert.equal(clusterNameError('a\u200bb'), 'Only lowercase letters, digits and "-" are allowed; remove U+200B.');
  });

  it('accepts label keys the API server accepts', () => {
    for (const key of ['team', 'Team', 'app.kubernetes.io/name', 'a_b.c-d', 'k'.repeat(63), `${'p'.repeat(60)}.io/x`]) {
      assert.equal(labelKeyError(key), undefined, key);
    }
  });

  it('rejects a prefix longer than 253 characters', () => {
    const prefix = `${'a'.repeat(250)}.com`;
    assert.equal(labelKeyError(`${prefix}/x`), `Label key prefix "${prefix.slice(0, 80)}…" must be a lowercase DNS subdomain (like example.com).`);
  });

  it('accepts empty values and values of 63 characters', () => {
    assert.equal(labelValueError('team', ''), undefined);
    assert.equal(labelValueError('team', 'v'.repeat(63)), undefined);
    assert.equal(labelValueError('team', 'Web_1.x'), undefined);
  });

  it('parses pairs split by commas or lines, trimming around "="', () => {
    assert.deepEqual(parseLabels(' team = web ,tier=front\n\nexample.com/owner=ana,'), { labels: { team: 'web', tier: 'front', 'example.com/owner': 'ana' } });
  });

  it('keeps everything after the first "=" as the value', () => {
    assert.deepEqual(parseLabels('a=b=c'), { labels: {}, error: 'Value of label "a" may use letters, digits, "-", "_" and ".", and must start and end with a letter or digit.' });
  });

  it('stops at the first bad pair and returns what it had', () => {
    assert.deepEqual(parseLabels('team=web, oops, tier=front'), { labels: { team: 'web' }, error: '"oops" is not key=value.' });
  });

  it('parses nothing from blank text', () => {
    assert.deepEqual(parseLabels(''), { labels: {} });
  });
});

describe('parseLabels with keys an object would inherit', () => {
  it('takes constructor, toString and hasOwnProperty as plain keys, once each', () => {
    const parsed = parseLabels('constructor=x, toString=y, hasOwnProperty=z');
    assert.equal(parsed.error, undefined);
    assert.deepEqual(Object.entries(parsed.labels), [['constructor', 'x'], ['toString', 'y'], ['hasOwnProperty', 'z']]);
    assert.equal(Object.getPrototypeOf(parsed.labels), Object.prototype, 'the prototype is untouched');
    assert.equal(parseLabels('constructor=x,constructor=y').error, 'Label "constructor" is given twice.');
  });
  it('refuses a label text of more than 12,000 characters, quoting none of it', () => {
    const error = parseLabels(`a=${'b'.repeat(12_000)}`).error ?? '';
    assert.match(error, /^The labels are 12002 characters; at most 12000\.$/);
  });
});
