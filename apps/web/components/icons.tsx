/** Small inline icons (decorative: every use sits next to its text). */
const base = { "aria-hidden": true, viewBox: "0 0 24 24", fill: "none", stroke: "currentColor", strokeWidth: 1.75, strokeLinecap: "round", strokeLinejoin: "round", className: "size-5" } as const;

export const KeyIcon = () => (
  <svg {...base}>
    <circle cx="8" cy="15" r="4" />
    <path d="m10.8 12.2 7.7-7.7M16 7l3 3M14 9l2 2" />
  </svg>
);
export const ChartIcon = () => (
  <svg {...base}>
    <path d="M4 20V10M10 20V4M16 20v-7M22 20H2" />
  </svg>
);
export const TokenIcon = () => (
  <svg {...base}>
    <rect x="3" y="6" width="18" height="12" rx="2" />
    <path d="M7 12h.01M11 12h6" />
  </svg>
);
export const BookIcon = () => (
  <svg {...base}>
    <path d="M4 5a2 2 0 0 1 2-2h13v16H6a2 2 0 0 0-2 2V5Z" />
    <path d="M4 19a2 2 0 0 1 2-2h13" />
  </svg>
);
export const ActivityIcon = () => (
  <svg {...base}>
    <path d="M3 12h4l3-8 4 16 3-8h4" />
  </svg>
);
