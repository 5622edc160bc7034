// Building blocks of the protocol schemas (valibot): bounded text and request ids, so a message can
// never smuggle in more than its fields allow; the clipping that makes what a host sends fit them;
// and the reason a refused message is given.

import * as v from 'valibot';
import { inertLines, inertText } from '../core/inertText';

/** A string of at most `max` characters, as a schema. */
export const text = (max = 65_536) => v.pipe(v.string(), v.maxLength(max));

/** A request id (or any count), as a schema: a safe integer from 0. */
export const requestId = v.pipe(v.number(), v.safeInteger(), v.minValue(0));

/** The message types a variant schema knows, to say why a message was refused. */
export function messageTypes(schema: { options: readonly { entries: { type: { literal: string } } }[] }): string[] {
  return schema.options.map((option) => option.entries.type.literal);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Text as a pane gets it: made inert (controls and bidi overrides shown as marks) and cut to at most
 * `max` characters, the cut marked with "…", so what a host sends always fits its guard.
 */
export function clipText(text: string, max: number): string {
  const shown = inertText(text);
  return shown.length > max ? `${shown.slice(0, Math.max(0, max - 1))}…` : shown;
}

/** As clipText, for text shown in lines (a diff): its line breaks are kept. */
export function clipLines(text: string, max: number): string {
  const shown = inertLines(text);
  return shown.length > max ? `${shown.slice(0, Math.max(0, max - 1))}…` : shown;
}

/**
 * Why a message a guard refused was refused, as specifically as its shape allows: not an object, no
 * type, a type this pane does not know, or a known type whose fields do not match the protocol.
 */
export function refusalReason(value: unknown, knownTypes: readonly string[]): string {
  if (!isRecord(value)) return `not an object (${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value})`;
  if (typeof value.type !== 'string') return 'no message type';
  const type = clipText(value.type, 60);
  if (!knownTypes.includes(value.type)) return `unknown message type "${type}"`;
  return `a "${type}" message whose fields do not match the protocol`;
}
