import { useState } from "react";
import { api } from "../../api";
import type { UserSettings } from "../../api/types";
import { ActionForm } from "../../components/ActionForm";
import { CheckboxField, TextArea, TextField } from "../../components/Field";
import { Notice } from "../../components/Status";
import { useAction } from "../../lib/useAction";
import { useFields } from "../../lib/useFields";
import { FIELDS_TO_FIX, usernameProblem } from "../../lib/validation";
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
  const { values: form, bind } = useFields<Record<TextFields, string>>({
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
  const usernameIssue = usernameProblem(form.username);

  return (
    <Section id="settings-personal" title="Personal details" description="Shown on your public profile.">
      <ActionForm
        check={() => (usernameIssue ? FIELDS_TO_FIX : null)}
        onSend={() => void save.run().then((ok) => ok && onSaved())}
        busy={save.busy}
        error={save.error}
        label="Save details"
        busyLabel="Saving…"
      >
        <div className="field-grid">
          {(Object.keys(LABELS) as (keyof typeof LABELS)[]).map((field) => (
            <TextField
              key={field}
              label={LABELS[field].label}
              {...bind(field)}
              maxLength={LABELS[field].max}
              autoComplete={LABELS[field].autoComplete}
              problem={field === "username" ? usernameIssue : null}
            />
          ))}
        </div>
        <TextArea label="About you" rows={4} maxLength={1000} {...bind("bio")} />
        <CheckboxField
          label={`Show my email address (${settings.securitySettings.email}) on my profile`}
          checked={publicEmail}
          onChange={setPublicEmail}
        />
        {save.done && <Notice>Your details are saved.</Notice>}
      </ActionForm>
    </Section>
  );
}
