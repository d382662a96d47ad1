import { useState } from "react";
import { useNavigate } from "react-router";
import { api } from "../../api";
import type { UserSettings } from "../../api/types";
import { CheckboxField, EmailField, NewPasswordField, PasswordField } from "../../components/Field";
import { Notice } from "../../components/Status";
import { StepUpForm } from "../../components/StepUpForm";
import { formatDate } from "../../lib/format";
import { useFields } from "../../lib/useFields";
import { useStepUp } from "../../lib/useStepUp";
import { emailProblem, isStrongPassword } from "../../lib/validation";
import { useSession } from "../../session/session";
import { Section } from "./Section";

const WRONG_CURRENT_PASSWORD = { "wrong-credentials": "The current password is not right." };

export function ChangeEmail({ settings }: { settings: UserSettings }) {
  const { values, bind } = useFields({ newEmail: "", emailCurrentPassword: "" });
  const email = values.newEmail.trim();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const flow = useStepUp(
    (factor) => api.user.changeEmail(email, values.emailCurrentPassword, factor),
    () => setSentTo(email),
    WRONG_CURRENT_PASSWORD,
  );
  const { email: current, emailChanged } = settings.securitySettings;

  return (
    <Section id="settings-email" title="Email address" description={<>You sign in with {current}.</>}>
      {sentTo ? (
        <Notice>
          We sent a confirmation link to <strong>{sentTo}</strong>. Your address changes once you open it.
        </Notice>
      ) : emailChanged ? (
        <p className="muted">The address of an account can be changed once, and this one has been.</p>
      ) : (
        <StepUpForm
          flow={flow}
          className="inline-form"
          check={() =>
            emailProblem(email) ??
            (email === current
              ? "That is already your address."
              : !values.emailCurrentPassword
                ? "Enter your current password."
                : null)
          }
          label="Change the address"
          busyLabel="Sending…"
          look="plain"
        >
          <EmailField label="New email address" {...bind("newEmail")} hint="An address can be changed once." />
          <PasswordField label="Current password" {...bind("emailCurrentPassword")} />
        </StepUpForm>
      )}
    </Section>
  );
}

export function ChangePassword({ settings }: { settings: UserSettings }) {
  const { values, setValues, bind } = useFields({ currentPassword: "", newPassword: "", newPasswordRepeat: "" });
  const { currentPassword, newPassword, newPasswordRepeat } = values;
  const [changed, setChanged] = useState(false);
  const flow = useStepUp(
    (factor) => api.user.changePassword(newPassword, newPasswordRepeat, currentPassword, factor),
    () => {
      setChanged(true);
      setValues({ currentPassword: "", newPassword: "", newPasswordRepeat: "" });
    },
    WRONG_CURRENT_PASSWORD,
  );
  const last = settings.securitySettings.passwordChanged;

  return (
    <Section
      id="settings-password"
      title="Password"
      description={
        <>
          The password can be changed once a day; your other sessions are signed out.{" "}
          {last && <>Last changed {formatDate(last)}.</>}
        </>
      }
    >
      {changed && <Notice>Your password is changed.</Notice>}
      <StepUpForm
        flow={flow}
        className="inline-form"
        check={() =>
          !currentPassword
            ? "Enter your current password."
            : !isStrongPassword(newPassword)
              ? "The new password does not follow every rule yet."
              : newPassword !== newPasswordRepeat
                ? "The two passwords are not the same."
                : null
        }
        label="Change the password"
        busyLabel="Changing…"
        look="plain"
      >
        <PasswordField label="Current password" {...bind("currentPassword")} />
        <NewPasswordField {...bind("newPassword")} />
        <PasswordField label="Repeat the new password" isNew {...bind("newPasswordRepeat")} />
      </StepUpForm>
    </Section>
  );
}

export function CloseAccount() {
  const { forget } = useSession();
  const navigate = useNavigate();
  const { values, bind } = useFields({ closePassword: "" });
  const [understood, setUnderstood] = useState(false);
  const flow = useStepUp(
    (factor) => api.user.closeAccount(values.closePassword, factor),
    () => {
      navigate("/goodbye", { replace: true });
      forget();
    },
    { "wrong-credentials": "The password is not right." },
  );

  return (
    <Section
      id="settings-close"
      title="Close the account"
      description="Your account, posts and favourites are deleted. This cannot be undone."
    >
      <StepUpForm
        flow={flow}
        className="inline-form"
        check={() => (!values.closePassword ? "Enter your password." : !understood ? "Tick the box to confirm." : null)}
        label="Close my account"
        codeLabel="Close the account"
        busyLabel="Closing…"
        look="danger"
      >
        <PasswordField label="Your password" {...bind("closePassword")} />
        <CheckboxField
          label="I understand that my account and posts are deleted for good."
          checked={understood}
          onChange={setUnderstood}
        />
      </StepUpForm>
    </Section>
  );
}
