// Search in log lines: where a query occurs in a text, as segments the webview turns into text nodes
// and <mark> elements (never markup), case-insensitive like the editor's default find.

export interface Segment {
  text: string;
  match: boolean;
}

/** The text cut into matching and non-matching runs; one non-matching run when nothing matches. */
export function searchSegments(text: string, query: string): Segment[] {
  if (!query) return [{ text, match: false }];
  const haystack = text.toLowerCase();
  const needle = query.toLowerCase();
  // Lower-casing can change lengths (e.g. "İ"); then fall back to no highlight rather than misplace one.
  if (haystack.length !== text.length || needle.length !== query.length) return [{ text, match: false }];
  const segments: Segment[] = [];
  let from = 0;
  let at = haystack.indexOf(needle);
  while (at >= 0) {
    if (at > from) segments.push({ text: text.slice(from, at), match: false });
    segments.push({ text: text.slice(at, at + needle.length), match: true });
    from = at + needle.length;
    at = haystack.indexOf(needle, from);
  }
  if (from < text.length || segments.length === 0) segments.push({ text: text.slice(from), match: false });
  return segments;
}

export function countMatches(text: string, query: string): number {
  return searchSegments(text, query).filter((s) => s.match).length;
}
