// Building blocks of the protocol guards: plain checks on unknown JSON, with length limits so a
// message can never smuggle in more than its fields allow.

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

/** Text cut to at most `max` characters, the cut marked with "…": what a host sends always fits its guard. */
export function clipText(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, Math.max(0, max - 1))}…` : text;
}
