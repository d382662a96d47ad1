import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import { api } from "../../api";
import type { UserSettings } from "../../api/types";
import { TextField } from "../../components/Field";
import { PasswordRules } from "../../components/PasswordRules";
import { FormFooter } from "../../components/FormFooter";
import { Notice } from "../../components/Status";
import { WithStepUp } from "../../components/StepUpPrompt";
import { formatDate } from "../../lib/format";
import { useStepUp } from "../../lib/useStepUp";
import { emailProblem, isStrongPassword } from "../../lib/validation";
import { useSession } from "../../session/session";
import { Section } from "./Section";

export function ChangeEmail({ settings }: { settings: UserSettings }) {
  const [email, setEmail] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const flow = useStepUp(
    (factor) => api.user.changeEmail(email.trim(), factor),
    () => setSentTo(email.trim()),
  );
  const { email: current, emailChanged } = settings.securitySettings;

  function submit(event: FormEvent) {
    event.preventDefault();
    const found = emailProblem(email) ?? (email.trim() === current ? "That is already your address." : null);
    setProblem(found);
    if (!found) void flow.start();
  }

  return (
    <Section id="settings-email" title="Email address" description={<>You sign in with {current}.</>}>
      {sentTo ? (
        <Notice>
          We sent a confirmation link to <strong>{sentTo}</strong>. Your address changes once you open it.
        </Notice>
      ) : emailChanged ? (
        <p className="muted">The address of an account can be changed once, and this one has been.</p>
      ) : (
        <WithStepUp flow={flow} submitLabel="Change the address">
          <form className="form inline-form" onSubmit={submit} noValidate>
            <TextField
              label="New email address"
              name="newEmail"
              type="email"
              autoComplete="email"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              problem={problem}
              hint="An address can be changed once."
            />
            <FormFooter
              error={flow.error}
              busy={flow.busy}
              label="Change the address"
              busyLabel="Sending…"
              look="plain"
            />
          </form>
        </WithStepUp>
      )}
    </Section>
  );
}

export function ChangePassword({ settings }: { settings: UserSettings }) {
  const [password, setPassword] = useState("");
  const [repeat, setRepeat] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [changed, setChanged] = useState(false);
  const flow = useStepUp(
    (factor) => api.user.changePassword(password, repeat, factor),
    () => {
      setChanged(true);
      setPassword("");
      setRepeat("");
    },
  );
  const last = settings.securitySettings.passwordChanged;

  function submit(event: FormEvent) {
    event.preventDefault();
    const found = !isStrongPassword(password)
      ? "The new password does not follow every rule yet."
      : password !== repeat
        ? "The two passwords are not the same."
        : null;
    setProblem(found);
    if (!found) void flow.start();
  }

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
      <WithStepUp flow={flow} submitLabel="Change the password">
        <form className="form inline-form" onSubmit={submit} noValidate>
          <TextField
            label="New password"
            name="newPassword"
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            hint={<PasswordRules password={password} />}
          />
          <TextField
            label="Repeat the new password"
            name="newPasswordRepeat"
            type="password"
            autoComplete="new-password"
            value={repeat}
            onChange={(e) => setRepeat(e.target.value)}
          />
          <FormFooter
            error={problem ?? flow.error}
            busy={flow.busy}
            label="Change the password"
            busyLabel="Changing…"
            look="plain"
          />
        </form>
      </WithStepUp>
    </Section>
  );
}

export function CloseAccount() {
  const { forget } = useSession();
  const navigate = useNavigate();
  const [password, setPassword] = useState("");
  const [understood, setUnderstood] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const flow = useStepUp(
    (factor) => api.user.closeAccount(password, factor),
    () => {
      navigate("/goodbye", { replace: true });
      forget();
    },
    { "wrong-credentials": "The password is not right." },
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    const found = !password ? "Enter your password." : !understood ? "Tick the box to confirm." : null;
    setProblem(found);
    if (!found) void flow.start();
  }

  return (
    <Section
      id="settings-close"
      title="Close the account"
      description="Your account, posts and favourites are deleted. This cannot be undone."
    >
      <WithStepUp flow={flow} submitLabel="Close the account">
        <form className="form inline-form" onSubmit={submit} noValidate>
          <TextField
            label="Your password"
            name="closePassword"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          <div className="field field-checkbox">
            <input
              id="close-understood"
              type="checkbox"
              checked={understood}
              onChange={(e) => setUnderstood(e.target.checked)}
            />
            <label htmlFor="close-understood">I understand that my account and posts are deleted for good.</label>
          </div>
          <FormFooter
            error={problem ?? flow.error}
            busy={flow.busy}
            label="Close my account"
            busyLabel="Closing…"
            look="danger"
          />
        </form>
      </WithStepUp>
    </Section>
  );
}
