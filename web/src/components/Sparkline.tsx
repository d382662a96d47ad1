import { lineGeometry, priceSeries } from "../lib/chart";

interface SparklineProps {
  sparkline: (string | null)[];
  label: string;
  width?: number;
  height?: number;
}

/** The last 24 hours of a price as a small line, green when it went up and red when it went down. */
export function Sparkline({ sparkline, label, width = 120, height = 36 }: SparklineProps) {
  const geometry = lineGeometry(priceSeries(sparkline), width, height);
  if (!geometry) return <span className="sparkline-empty">No data</span>;
  return (
    <svg
      className={`sparkline trend-${geometry.trend}`}
      viewBox={`0 0 ${width} ${height}`}
      width={width}
      height={height}
      role="img"
      aria-label={label}
    >
      <path className="sparkline-area" d={geometry.area} />
      <path className="sparkline-line" d={geometry.line} fill="none" />
    </svg>
  );
}
