import { describe, expect, it } from "vitest";
import { lineGeometry, priceSeries } from "./chart";

describe("price lines", () => {
  it("reads the API's decimal strings and skips missing hours", () => {
    expect(priceSeries(["1.5", null, "2", "", "abc", 3])).toEqual([1.5, 2, 3]);
  });

  it("fits the series into the box, the highest price at the top", () => {
    const geometry = lineGeometry([10, 20, 15], 100, 50, 0)!;
    expect(geometry.points).toEqual([
      { x: 0, y: 50 },
      { x: 50, y: 0 },
      { x: 100, y: 25 },
    ]);
    expect(geometry.line).toBe("M0 50 L50 0 L100 25");
    expect(geometry.area).toBe("M0 50 L50 0 L100 25 L100 50 L0 50 Z");
    expect(geometry).toMatchObject({ min: 10, max: 20, trend: "up" });
  });

  it("draws a flat price across the middle and needs two points", () => {
    expect(lineGeometry([5, 5], 100, 40)!.points.map((point) => point.y)).toEqual([20, 20]);
    expect(lineGeometry([5, 5], 100, 40)!.trend).toBe("flat");
    expect(lineGeometry([7, 3], 100, 40)!.trend).toBe("down");
    expect(lineGeometry([5], 100, 40)).toBeNull();
  });
});
