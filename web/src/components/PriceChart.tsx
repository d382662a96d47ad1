import { lineGeometry, priceSeries } from "../lib/chart";
import { formatPrice } from "../lib/format";

const WIDTH = 640;
const HEIGHT = 240;
const PADDING = 16;

/** The price over the last 24 hours (hourly), with the highest and lowest price marked. */
export function PriceChart({ sparkline, name }: { sparkline: (string | null)[]; name: string }) {
  const series = priceSeries(sparkline);
  const geometry = lineGeometry(series, WIDTH, HEIGHT, PADDING);
  if (!geometry) return <p className="muted">No price history yet.</p>;
  const gridLines = [0.25, 0.5, 0.75].map((share) => PADDING + share * (HEIGHT - 2 * PADDING));
  return (
    <figure className="price-chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={`${name} price over the last 24 hours, from ${formatPrice(series[0])} to ${formatPrice(series[series.length - 1])}`}
        className={`trend-${geometry.trend}`}
      >
        {gridLines.map((y) => (
          <line key={y} className="chart-grid" x1={0} x2={WIDTH} y1={y} y2={y} />
        ))}
        <path className="chart-area" d={geometry.area} />
        <path className="chart-line" d={geometry.line} fill="none" vectorEffect="non-scaling-stroke" />
      </svg>
      <div className="price-chart-axis" aria-hidden="true">
        <span>24 hours ago</span>
        <span>Now</span>
      </div>
      <figcaption className="price-chart-range">
        High {formatPrice(geometry.max)} · Low {formatPrice(geometry.min)}
      </figcaption>
    </figure>
  );
}
