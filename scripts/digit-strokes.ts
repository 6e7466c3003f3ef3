/** Hand-drawn-style stroke paths for each digit, in a unit box (x right, y down, 0–1). */

export type Stroke = [number, number][];

function arc(
  cx: number,
  cy: number,
  rx: number,
  ry: number,
  from: number,
  to: number,
  n = 24,
): Stroke {
  return Array.from({ length: n + 1 }, (_, i) => {
    const t = from + ((to - from) * i) / n;
    return [cx + rx * Math.cos(t), cy + ry * Math.sin(t)] as [number, number];
  });
}

function figureEight(n = 48): Stroke {
  return Array.from({ length: n + 1 }, (_, i) => {
    const t = -Math.PI / 2 + (2 * Math.PI * i) / n;
    return [0.5 - 0.32 * Math.sin(2 * t) * 0.9, 0.5 - 0.46 * Math.cos(t + Math.PI / 2)] as [
      number,
      number,
    ];
  });
}

/** One or more strokes per digit 0–9. */
export const DIGIT_STROKES: Stroke[][] = [
  [arc(0.5, 0.5, 0.32, 0.46, -Math.PI / 2, (3 * Math.PI) / 2 + 0.2)],
  [
    [
      [0.42, 0.15],
      [0.55, 0.03],
      [0.55, 0.97],
    ],
  ],
  [
    [
      [0.18, 0.28],
      [0.3, 0.1],
      [0.5, 0.03],
      [0.7, 0.1],
      [0.78, 0.28],
      [0.7, 0.48],
      [0.45, 0.7],
      [0.18, 0.95],
      [0.85, 0.95],
    ],
  ],
  [
    [
      [0.2, 0.12],
      [0.45, 0.02],
      [0.72, 0.1],
      [0.76, 0.3],
      [0.45, 0.47],
      [0.78, 0.6],
      [0.8, 0.82],
      [0.5, 0.97],
      [0.18, 0.88],
    ],
  ],
  [
    [
      [0.28, 0.03],
      [0.15, 0.6],
      [0.85, 0.6],
    ],
    [
      [0.65, 0.25],
      [0.65, 0.98],
    ],
  ],
  [
    [
      [0.78, 0.04],
      [0.32, 0.04],
      [0.26, 0.44],
      [0.52, 0.38],
      [0.76, 0.5],
      [0.8, 0.76],
      [0.55, 0.95],
      [0.2, 0.88],
    ],
  ],
  [
    [
      [0.72, 0.03],
      [0.45, 0.22],
      [0.28, 0.5],
      [0.25, 0.78],
      [0.42, 0.96],
      [0.68, 0.92],
      [0.78, 0.72],
      [0.62, 0.54],
      [0.38, 0.56],
      [0.27, 0.7],
    ],
  ],
  [
    [
      [0.15, 0.05],
      [0.85, 0.05],
      [0.6, 0.5],
      [0.42, 0.97],
    ],
  ],
  [figureEight()],
  [[...arc(0.5, 0.3, 0.26, 0.26, 0, -2 * Math.PI), [0.74, 0.6], [0.7, 0.97]]],
];

/** Where and how big each test drawing is: [left, top, size] as fractions of the pad. */
export const PLACEMENTS: [number, number, number][] = [
  [0.15, 0.1, 0.8],
  [0.05, 0.05, 0.5],
  [0.4, 0.35, 0.55],
  [0.2, 0.2, 0.6],
  [0.1, 0.4, 0.5],
  [0.3, 0.05, 0.7],
  [0.45, 0.45, 0.45],
  [0.2, 0.15, 0.75],
  [0.05, 0.3, 0.65],
  [0.35, 0.1, 0.6],
];

/**
 * Handwriting styles the pad must read that MNIST rarely has: a 1 with a flag and a base serif, a 1 with a
 * long flag and no base (read as 7 by the model trained before 2026-12-04), a 1 with a long flat flag, a 1
 * with a base serif, and a crossed 7.
 */
export const STYLE_STROKES: { name: string; digit: number; strokes: Stroke[] }[] = [
  {
    name: 'a 1 with a flag and a base',
    digit: 1,
    strokes: [
      [
        [0.32, 0.28],
        [0.55, 0.05],
        [0.55, 0.95],
      ],
      [
        [0.35, 0.95],
        [0.75, 0.95],
      ],
    ],
  },
  {
    name: 'a 1 with a long flag',
    digit: 1,
    strokes: [
      [
        [0.2, 0.35],
        [0.55, 0.05],
        [0.55, 0.95],
      ],
    ],
  },
  {
    name: 'a 1 with a long, flat flag',
    digit: 1,
    strokes: [
      [
        [0.3, 0.2],
        [0.55, 0.05],
        [0.55, 0.95],
      ],
    ],
  },
  {
    name: 'a 1 with a base',
    digit: 1,
    strokes: [
      [
        [0.5, 0.05],
        [0.5, 0.95],
      ],
      [
        [0.3, 0.95],
        [0.7, 0.95],
      ],
    ],
  },
  {
    name: 'a crossed 7',
    digit: 7,
    strokes: [
      [
        [0.2, 0.08],
        [0.8, 0.08],
        [0.45, 0.95],
      ],
      [
        [0.4, 0.5],
        [0.8, 0.5],
      ],
    ],
  },
];
