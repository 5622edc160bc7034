// @ts-check
// The one error type the harness shows to people: a one-line cause and the fix, never a stack trace.

export class PlaneError extends Error {
  /**
   * @param {string} cause what went wrong, in one line
   * @param {string} fix what to do about it, in one line
   */
  constructor(cause, fix) {
    super(`${cause}\n  fix: ${fix}`);
    this.name = 'PlaneError';
    this.cause_ = cause;
    this.fix = fix;
  }
}
