// inertText: control, bidi and invisible characters become visible marks; colour escapes go.
import * as assert from 'node:assert/strict';
import { inertText, shownMessage } from '../../src/core/inertText';

describe('inertText', () => {
  it('leaves ordinary text, markup and tabs as they are', () => {
    for (const text of ['GET /healthz 200', '<script>alert(1)</script> & <b>', 'a\tb', 'naïve 日本語 שלום', '👨‍👩‍👧']) assert.equal(inertText(text), text);
  });

  it('shows bidi overrides, isolates and marks as visible code points', () => {
    assert.equal(inertText('invoice\u202egpj.exe'), 'invoice⟨U+202E⟩gpj.exe');
    assert.equal(inertText('\u2066x\u2069\u200f'), '⟨U+2066⟩x⟨U+2069⟩⟨U+200F⟩');
  });

  it('shows controls, zero-width spaces and a BOM', () => {
    assert.equal(inertText('a\u0000b\rc\nd\u0085\u200b\ufeff'), 'a⟨U+0000⟩b⟨U+000D⟩c⟨U+000A⟩d⟨U+0085⟩⟨U+200B⟩⟨U+FEFF⟩');
    assert.equal(inertText('\u001b]0;title\u0007'), '⟨U+001B⟩]0;title⟨U+0007⟩');
  });

  it('drops colour sequences from log lines', () => {
    assert.equal(inertText('\u001b[31mERROR\u001b[0m done \u001b[1;32mok\u001b[m'), 'ERROR done ok');
  });
});

describe('shownMessage', () => {
  it('keeps the lines of a message, marks the rest, and cuts credentials', () => {
    assert.equal(shownMessage('stuck because:\nfinalizers: x\u202e'), 'stuck because:\nfinalizers: x⟨U+202E⟩');
    assert.doesNotMatch(shownMessage('failed: Authorization: Bearer abc.def.ghi'), /abc\.def\.ghi/);
  });
});
