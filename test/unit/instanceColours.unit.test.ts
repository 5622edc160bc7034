// Instance prefix colours in a cluster-wide log pane: distinct while there are colours to go round,
// stable per instance, freed when an instance leaves.
import * as assert from 'node:assert/strict';
import { ColourAssigner, logColourCount } from '../../src/core/instanceColours';

describe('ColourAssigner', () => {
  it('gives each new instance the lowest free colour and keeps it', () => {
    const colours = new ColourAssigner(4);
    assert.deepEqual(['instance-0', 'instance-1', 'instance-2'].map((n) => colours.colourOf(n)), [0, 1, 2]);
    assert.equal(colours.colourOf('instance-1'), 1);
  });

  it('reuses the colour of an instance that left', () => {
    const colours = new ColourAssigner(4);
    ['instance-0', 'instance-1', 'instance-2'].forEach((n) => colours.colourOf(n));
    colours.release('instance-1');
    assert.equal(colours.colourOf('instance-7'), 1);
    assert.deepEqual(colours.entries().map((e) => e.name).sort(), ['instance-0', 'instance-2', 'instance-7']);
  });

  it('shares colours deterministically when there are more instances than colours', () => {
    const colours = new ColourAssigner(2);
    colours.colourOf('a');
    colours.colourOf('b');
    const c = colours.colourOf('instance-9');
    assert.ok(c >= 0 && c < 2);
    const again = new ColourAssigner(2);
    again.colourOf('x');
    again.colourOf('y');
    assert.equal(again.colourOf('instance-9'), c);
  });

  it('uses the webview palette size by default', () => {
    const colours = new ColourAssigner();
    const all = Array.from({ length: logColourCount }, (_, i) => colours.colourOf(`instance-${i}`));
    assert.equal(new Set(all).size, logColourCount);
  });
});
