// Geometry of the price lines drawn as inline SVG: the sparklines in the coin table and the coin page's chart.

export interface Point {
  x: number;
  y: number;
}

export interface LineGeometry {
  points: Point[];
  /** The SVG path of the line. */
  line: string;
  /** The same line closed along the bottom edge, to fill under it. */
  area: string;
  min: number;
  max: number;
  /** Last price compared with the first one. */
  trend: "up" | "down" | "flat";
}

/** Prices as the API sends them (decimal strings, null for missing hours), as numbers; gaps are dropped. */
export function priceSeries(sparkline: readonly (string | number | null)[]): number[] {
  return sparkline
    .map((value) => (value === null || value === "" ? Number.NaN : Number(value)))
    .filter((value) => Number.isFinite(value));
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/** The series fitted into a width × height box with `padding` on every side; null below two points. */
export function lineGeometry(
  series: readonly number[],
  width: number,
  height: number,
  padding = 2,
): LineGeometry | null {
  if (series.length < 2) return null;
  const min = Math.min(...series);
  const max = Math.max(...series);
  const span = max - min;
  const innerWidth = width - 2 * padding;
  const innerHeight = height - 2 * padding;
  const points = series.map((value, index) => ({
    x: round(padding + (index / (series.length - 1)) * innerWidth),
    // A flat series is drawn across the middle rather than along an edge.
    y: round(span === 0 ? height / 2 : padding + (1 - (value - min) / span) * innerHeight),
  }));
  const line = points.map((point, index) => `${index === 0 ? "M" : "L"}${point.x} ${point.y}`).join(" ");
  const first = points[0]!;
  const last = points[points.length - 1]!;
  const area = `${line} L${last.x} ${height - padding} L${first.x} ${height - padding} Z`;
  const start = series[0]!;
  const end = series[series.length - 1]!;
  const trend = end > start ? "up" : end < start ? "down" : "flat";
  return { points, line, area, min, max, trend };
}
