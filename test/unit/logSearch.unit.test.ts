// Search highlight in log lines: the text split into matching and non-matching runs, case-insensitive.
import * as assert from 'node:assert/strict';
import { countMatches, searchSegments } from '../../src/core/logSearch';

describe('searchSegments', () => {
  it('returns the whole text when the query is empty or absent', () => {
    assert.deepEqual(searchSegments('hello', ''), [{ text: 'hello', match: false }]);
    assert.deepEqual(searchSegments('hello', 'xyz'), [{ text: 'hello', match: false }]);
  });

  it('marks every occurrence, ignoring case, and keeps the original text', () => {
    assert.deepEqual(searchSegments('Error: eRRor again', 'error'), [
      { text: 'Error', match: true },
      { text: ': ', match: false },
      { text: 'eRRor', match: true },
      { text: ' again', match: false },
    ]);
  });

  it('handles matches at both ends and back to back', () => {
    assert.deepEqual(searchSegments('abab', 'ab'), [{ text: 'ab', match: true }, { text: 'ab', match: true }]);
  });

  it('treats markup as plain text to search in', () => {
    assert.deepEqual(searchSegments('<b>bold</b>', '<b>'), [{ text: '<b>', match: true }, { text: 'bold</b>', match: false }]);
  });

  it('does not misplace a highlight when lower-casing changes the length', () => {
    assert.deepEqual(searchSegments('İstanbul', 'i'), [{ text: 'İstanbul', match: false }]);
  });

  it('counts matches', () => {
    assert.equal(countMatches('a a a', 'a'), 3);
    assert.equal(countMatches('a a a', ''), 0);
  });
});
