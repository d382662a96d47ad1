import { useState, type ChangeEvent } from "react";
import { api } from "../../api";
import type { UserSettings } from "../../api/types";
import { Avatar } from "../../components/Avatar";
import { ErrorMessage, Notice } from "../../components/Status";
import { useAction } from "../../lib/useAction";
import { AVATAR_TYPES, avatarProblem } from "../../lib/validation";
import { Section } from "./Section";

function readAsDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error("unreadable file"));
    reader.readAsDataURL(file);
  });
}

export function ProfilePicture({ settings, onSaved }: { settings: UserSettings; onSaved: () => void }) {
  const [current, setCurrent] = useState(settings.profilePicUrl);
  const [chosen, setChosen] = useState<string | null>(null);
  const upload = useAction((dataUrl: string) => api.user.uploadPhoto(dataUrl).then((answer) => setCurrent(answer.url)));

  async function choose(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    setChosen(null);
    if (!file) return;
    const problem = avatarProblem(file);
    if (problem) return upload.fail(problem);
    try {
      setChosen(await readAsDataUrl(file));
    } catch {
      upload.fail("That file could not be read. Choose another image.");
    }
  }

  async function save() {
    if (chosen && (await upload.run(chosen))) {
      setChosen(null);
      onSaved();
    }
  }

  return (
    <Section id="settings-picture" title="Profile picture" description="A PNG, JPEG or WebP image of at most 2 MB.">
      <div className="picture-row">
        {chosen ? (
          <img className="avatar" src={chosen} alt="Preview of your new picture" width={96} height={96} />
        ) : (
          <Avatar name={settings.personalSettings.username} url={current} size={96} />
        )}
        <div className="form">
          <div className="field">
            <label htmlFor="picture-file">{chosen ? "Preview of the chosen picture" : "Choose a picture"}</label>
            <input
              id="picture-file"
              type="file"
              accept={AVATAR_TYPES.join(",")}
              onChange={(event) => void choose(event)}
            />
          </div>
          {upload.error && <ErrorMessage error={upload.error} />}
          {upload.done && <Notice>Your new picture is saved.</Notice>}
          {chosen && (
            <div className="form-actions">
              <button
                type="button"
                className="button button-primary"
                disabled={upload.busy}
                onClick={() => void save()}
              >
                {upload.busy ? "Uploading…" : "Use this picture"}
              </button>
              <button type="button" className="button button-quiet" onClick={() => setChosen(null)}>
                Cancel
              </button>
            </div>
          )}
        </div>
      </div>
    </Section>
  );
}
