import { useState } from "react";

interface AvatarProps {
  name: string;
  url?: string | null;
  size?: number;
}

/** The profile picture, or the name's initial on a colour of its own when there is none (or it fails to load). */
export function Avatar({ name, url, size = 40 }: AvatarProps) {
  const [failed, setFailed] = useState(false);
  const style = { width: size, height: size, fontSize: size * 0.45 };
  if (url && !failed) {
    return <img className="avatar" src={url} alt={`${name}'s picture`} style={style} onError={() => setFailed(true)} />;
  }
  const hue = [...name].reduce((sum, character) => sum + character.charCodeAt(0), 0) % 360;
  return (
    <span className="avatar avatar-initial" style={{ ...style, background: `hsl(${hue} 55% 45%)` }} aria-hidden="true">
      {name.slice(0, 1).toUpperCase()}
    </span>
  );
}
