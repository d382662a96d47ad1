import { useState, type FormEvent } from "react";
import { api } from "../../api";
import type { UserSettings } from "../../api/types";
import { TextArea, TextField } from "../../components/Field";
import { FormFooter } from "../../components/FormFooter";
import { Notice } from "../../components/Status";
import { useAction } from "../../lib/useAction";
import { usernameProblem } from "../../lib/validation";
import { Section } from "./Section";

type TextFields = "username" | "firstName" | "lastName" | "title" | "bio" | "twitter" | "linkedIn" | "personalWebsite";

const LABELS: Record<Exclude<TextFields, "bio">, { label: string; max: number; autoComplete?: string }> = {
  username: { label: "Username", max: 32, autoComplete: "username" },
  firstName: { label: "First name", max: 100, autoComplete: "given-name" },
  lastName: { label: "Last name", max: 100, autoComplete: "family-name" },
  title: { label: "Title (what you do)", max: 100, autoComplete: "organization-title" },
  twitter: { label: "X / Twitter handle", max: 100 },
  linkedIn: { label: "LinkedIn profile", max: 100 },
  personalWebsite: { label: "Website", max: 200, autoComplete: "url" },
};

export function PersonalDetails({ settings, onSaved }: { settings: UserSettings; onSaved: () => void }) {
  const personal = settings.personalSettings;
  const [form, setForm] = useState<Record<TextFields, string>>({
    username: personal.username,
    firstName: personal.firstName ?? "",
    lastName: personal.lastName ?? "",
    title: personal.title ?? "",
    bio: personal.bio ?? "",
    twitter: personal.twitter ?? "",
    linkedIn: personal.linkedIn ?? "",
    personalWebsite: personal.personalWebsite ?? "",
  });
  const [publicEmail, setPublicEmail] = useState(settings.securitySettings.publicEmail);
  const save = useAction(() =>
    api.user.setPersonalSettings({
      username: form.username,
      firstName: form.firstName.trim() || null,
      lastName: form.lastName.trim() || null,
      title: form.title.trim() || null,
      bio: form.bio.trim() || null,
      twitter: form.twitter.trim() || null,
      linkedIn: form.linkedIn.trim() || null,
      personalWebsite: form.personalWebsite.trim() || null,
      publicEmail,
    }),
  );
  const edit = (field: TextFields) => (event: { target: { value: string } }) =>
    setForm((current) => ({ ...current, [field]: event.target.value }));
  const usernameIssue = usernameProblem(form.username);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (usernameIssue) return save.fail(`Username: ${usernameIssue}`);
    if (await save.run()) onSaved();
  }

  return (
    <Section id="settings-personal" title="Personal details" description="Shown on your public profile.">
      <form className="form" onSubmit={(event) => void submit(event)} noValidate>
        <div className="field-grid">
          {(Object.keys(LABELS) as (keyof typeof LABELS)[]).map((field) => (
            <TextField
              key={field}
              label={LABELS[field].label}
              name={field}
              value={form[field]}
              onChange={edit(field)}
              maxLength={LABELS[field].max}
              autoComplete={LABELS[field].autoComplete}
              problem={field === "username" ? usernameIssue : null}
            />
          ))}
        </div>
        <TextArea label="About you" name="bio" rows={4} maxLength={1000} value={form.bio} onChange={edit("bio")} />
        <div className="field field-checkbox">
          <input
            id="public-email"
            type="checkbox"
            checked={publicEmail}
            onChange={(e) => setPublicEmail(e.target.checked)}
          />
          <label htmlFor="public-email">Show my email address ({settings.securitySettings.email}) on my profile</label>
        </div>
        {save.done && <Notice>Your details are saved.</Notice>}
        <FormFooter error={save.error} busy={save.busy} label="Save details" busyLabel="Saving…" />
      </form>
    </Section>
  );
}
