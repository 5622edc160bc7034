// Text from a cluster (event fields, log lines, server messages, object fields) made inert for
// display: colour escapes are dropped, and control characters, bidi overrides and invisible marks
// are shown as visible ⟨U+XXXX⟩ marks, so they can neither reorder the text around them, nor hide
// text, nor move a terminal cursor. Tabs stay; everything else is unchanged.

/** SGR colour and style sequences ("ESC [ 31 m"), common in container logs: dropped, not shown. */
import { redact } from './redact';

// eslint-disable-next-line no-control-regex -- matching the escape character is the point
const colourSequence = /\u001b\[[0-9;]*m/g;

/** C0 and C1 controls but tab, bidi embeddings, overrides, isolates and marks, zero-width space, BOM. */
// eslint-disable-next-line no-control-regex -- the controls are what is matched
const hidden = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
/** The same, but line breaks (\n) stay: for messages of several lines. */
// eslint-disable-next-line no-control-regex -- the controls are what is matched
const hiddenInLines = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

const mark = (c: string) => `⟨U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}⟩`;

export function inertText(text: string): string {
  return text.replace(colourSequence, '').replace(hidden, mark);
}

/** Text shown in lines (a diff): inert as inertText, but its line breaks kept. */
export function inertLines(text: string): string {
  return text.replace(colourSequence, '').replace(hiddenInLines, mark);
}

/** A message for a notification or the log: credentials cut (redact), the rest made inert but its lines kept. */
export function shownMessage(text: string): string {
  return redact(text).replace(colourSequence, '').replace(hiddenInLines, mark);
}
