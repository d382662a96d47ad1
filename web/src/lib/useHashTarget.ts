import { useEffect } from "react";
import { useLocation } from "react-router";

/**
 * The id a link's #fragment names (`comment-…`, `settings-alerts`), brought into view and focused once `ready`
 * (the page's data is on screen): browsers do so only for what is there when a page loads, and not at all for
 * links followed inside the app. Each navigation does it once; reloading the data does not scroll again.
 */
export function useHashTarget(ready: boolean): string {
  const { hash, key } = useLocation();
  const target = hash.slice(1);
  useEffect(() => {
    if (!ready || !target) return;
    const element = document.getElementById(target);
    element?.scrollIntoView({ block: "start" });
    element?.focus({ preventScroll: true });
  }, [ready, target, key]);
  return target;
}
