// Cluster names and labels outside the form: names the API server accepts, and how label text is
// parsed into pairs (validation.unit.test.ts holds the messages for bad input).
import * as assert from 'node:assert/strict';
import { clusterNameError, labelKeyError, labelValueError, parseLabels } from '../../src/core/nameRules';

describe('nameRules', () => {
  it('accepts DNS-1123 names up to 60 characters', () => {
    for (const name of ['a', 'my-app', '123', 'a--b', 'kube', 'x-kube-y', 'a'.repeat(60)]) assert.equal(clusterNameError(name), undefined, name);
  });

  it('accepts label keys the API server accepts', () => {
    for (const key of ['team', 'Team', 'app.kubernetes.io/name', 'a_b.c-d', 'k'.repeat(63), `${'p'.repeat(60)}.io/x`]) {
      assert.equal(labelKeyError(key), undefined, key);
    }
  });

  it('rejects a prefix longer than 253 characters', () => {
    const prefix = `${'a'.repeat(250)}.com`;
    assert.equal(labelKeyError(`${prefix}/x`), `Label key prefix "${prefix}" must be a lowercase DNS subdomain (like example.com).`);
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
