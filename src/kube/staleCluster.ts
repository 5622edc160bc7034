// The error for a namespace that was replaced (deleted and made again under the same name, so a
// new uid) between the moment it was shown or read and a write to it: nothing is written then.

export class StaleClusterError extends Error {
  constructor(namespace: string, outcome: string) {
    super(`Namespace ${namespace} was replaced since it was shown (its uid changed); ${outcome}.`);
    this.name = 'StaleClusterError';
  }
}
