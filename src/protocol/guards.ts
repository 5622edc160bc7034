// Building blocks of the protocol guards: plain checks on unknown JSON, with length limits so a
// message can never smuggle in more than its fields allow.

import { inertLines, inertText } from '../core/inertText';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const isRequestId = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

export const isText = (value: unknown, maxLength = 65_536): value is string => typeof value === 'string' && value.length <= maxLength;

export const isOptionalText = (value: unknown, maxLength = 65_536): boolean => value === undefined || isText(value, maxLength);

export const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

export function isArrayOf<T>(value: unknown, item: (v: unknown) => v is T, maxLength = 100_000): value is T[] {
  return Array.isArray(value) && value.length <= maxLength && value.every((v) => item(v));
}

export const isTextArray = (value: unknown, maxLength = 100_000): value is string[] => isArrayOf(value, (v): v is string => isText(v), maxLength);

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
