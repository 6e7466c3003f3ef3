/** The order of the app's PWA notices: one that appears goes below those already shown and never moves one. */

/** "Ready to work offline" or "Update available" (one at a time), and the install offer. */
export type Notice = 'status' | 'install';

/** The notices due now, in the order they appeared: those still due keep their places, new ones go last. */
export function orderNotices(shown: readonly Notice[], due: readonly Notice[]): Notice[] {
  return [...shown.filter((n) => due.includes(n)), ...due.filter((n) => !shown.includes(n))];
}
