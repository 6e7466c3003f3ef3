/**
 * Performance marks and measures the app leaves for `npm run bench` and the tests, in one place.
 * - ready: the recognizer can predict; selected: the backend choice is settled (measured or remembered);
 * - rechecked: a repeat visit re-checked the GPU in idle time (and measured again only if it changed);
 * - predict: one measure per prediction, input posted → probabilities back (only the latest is kept);
 * - photo: one measure per photo read, file given → numbers shown (only the latest is kept);
 * - frame: one measure per camera frame read, capture → overlay painted, its worker time in `detail`.
 */
export const MARKS = {
  ready: 'digit-lens:ready',
  selected: 'digit-lens:backend-selected',
  rechecked: 'digit-lens:gpu-rechecked',
  predict: 'digit-lens:predict',
  photo: 'digit-lens:photo',
  frame: 'digit-lens:frame',
} as const;
