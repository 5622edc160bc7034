// The edit form's review: each object Apply will write with its diff (added and removed lines
// marked), the instance count change, warnings, and what the user lacks. Text only, via textContent.
import type { ReviewedObject } from '../../../src/protocol/clusterForm';
import { el } from '../shared/dom';

export interface ReviewShown {
  objects: ReviewedObject[];
  count?: string;
  warnings: string[];
  missing?: string;
  error?: string;
}

export function renderReview(target: HTMLElement, review: ReviewShown): void {
  target.hidden = false;
  const parts: Node[] = [];
  if (review.error) parts.push(el('div', { class: 'review-error' }, review.error));
  for (const warning of review.warnings) parts.push(el('div', { class: 'review-warning', role: 'alert' }, `Warning: ${warning}`));
  if (review.missing) parts.push(el('div', { class: 'review-error' }, `Apply is disabled: ${review.missing}.`));
  if (!review.error && review.objects.length === 0 && !review.count) parts.push(el('div', {}, 'Nothing to change: the cluster already is as the form says.'));
  for (const object of review.objects) {
    parts.push(el('div', { class: 'review-title' }, object.title));
    parts.push(el('div', { class: 'diff' }, ...object.diff.split('\n').map((line) => el('div', { class: lineClass(line) }, line || ' '))));
  }
  if (review.count) parts.push(el('div', { class: 'review-title' }, review.count));
  target.replaceChildren(...parts);
}

/** Marks a review no longer matching the form, so Apply is not read as applying what is shown. */
export function markReviewStale(target: HTMLElement): void {
  if (target.hidden || target.querySelector('.review-stale')) return;
  target.prepend(el('div', { class: 'review-stale' }, 'The form changed since this review: Review Changes again to apply.'));
}

function lineClass(line: string): string {
  if (line.startsWith('+++') || line.startsWith('---')) return 'diff-file';
  if (line.startsWith('@@')) return 'diff-hunk';
  if (line.startsWith('+')) return 'diff-add';
  if (line.startsWith('-')) return 'diff-del';
  return 'diff-same';
}
