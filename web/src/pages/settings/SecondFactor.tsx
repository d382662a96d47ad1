import { useState } from "react";
import { api } from "../../api";
import type { TwoFaSetup, UserSettings } from "../../api/types";
import { CodeForm } from "../../components/CodeForm";
import { PhoneField } from "../../components/Field";
import { ErrorMessage, Notice } from "../../components/Status";
import { StepUpForm } from "../../components/StepUpForm";
import { useAction } from "../../lib/useAction";
import { useFields } from "../../lib/useFields";
import { useStepUp } from "../../lib/useStepUp";
import { normalisePhone, phoneProblem } from "../../lib/validation";
import { Section } from "./Section";

const ONE_FACTOR = {
  "bad-request": "An account has one second factor at a time: turn the other one off first.",
};
const PHONE_WORDS = {
  "bad-request": "This number cannot be used: another account has it, or a second factor is already on.",
};

/** The secret in groups of four, easier to type into an app by hand. */
function grouped(secret: string): string {
  return secret.replace(/(.{4})/g, "$1 ").trim();
}

function Authenticator({ settings, onChanged }: { settings: UserSettings; onChanged: () => void }) {
  const [setup, setSetup] = useState<TwoFaSetup | null>(null);
  const start = useAction(() => api.user.startTwoFa().then(setSetup), ONE_FACTOR);
  const confirm = useAction((code: string) => api.user.confirmTwoFa(setup!.twoFaToken, code), ONE_FACTOR);
  const remove = useAction((code: string) => api.user.removeTwoFa(code));
  const { twoFaToken: on, phone } = settings.securitySettings;

  if (on) {
    return (
      <div>
        <p>
          <strong>Authenticator app: on.</strong> Signing in and sensitive changes ask for its code.
        </p>
        <p className="muted">To turn it off, enter a code from the app.</p>
        <CodeForm
          label="Code from the app"
          submitLabel="Turn off"
          busy={remove.busy}
          error={remove.error}
          onSubmit={(code) => void remove.run(code).then((ok) => ok && onChanged())}
        />
      </div>
    );
  }
  if (setup) {
    return (
      <div className="two-fa-setup">
        <img
          src={setup.qrCode}
          alt="QR code to scan with your authenticator app"
          width={180}
          height={180}
          className="qr-code"
        />
        <div>
          <ol className="steps">
            <li>Scan the QR code with an authenticator app (Google Authenticator, Aegis, 1Password…).</li>
            <li>
              Or type this key into the app: <code className="secret">{grouped(setup.twoFaToken)}</code>
            </li>
            <li>Enter the 6-digit code the app shows.</li>
          </ol>
          <CodeForm
            label="Code from the app"
            submitLabel="Turn on"
            busy={confirm.busy}
            error={confirm.error}
            onSubmit={(code) => void confirm.run(code).then((ok) => ok && onChanged())}
            autoFocus
            actions={
              <button type="button" className="button button-quiet" onClick={() => setSetup(null)}>
                Cancel
              </button>
            }
          />
        </div>
      </div>
    );
  }
  return (
    <div>
      <p>
        <strong>Authenticator app: off.</strong>
        {phone && " SMS codes are on; an account has one second factor at a time."}
      </p>
      {start.error && <ErrorMessage error={start.error} />}
      <button type="button" className="button" disabled={start.busy || Boolean(phone)} onClick={() => void start.run()}>
        {start.busy ? "Preparing…" : "Set up an authenticator app"}
      </button>
    </div>
  );
}

function Phone({ settings, onChanged }: { settings: UserSettings; onChanged: () => void }) {
  const { phone, twoFaToken } = settings.securitySettings;
  const { values, bind } = useFields({ phone: "" });
  const add = useStepUp(
    (factor) => api.user.setPhone(normalisePhone(values.phone), factor?.code),
    onChanged,
    PHONE_WORDS,
  );
  const remove = useStepUp((factor) => api.user.removePhone(factor?.code), onChanged);

  if (phone) {
    return (
      <StepUpForm flow={remove} label="Remove the phone" busyLabel="Sending a code…" look="plain">
        <p>
          <strong>SMS codes: on</strong>, sent to {phone}.
        </p>
      </StepUpForm>
    );
  }
  if (twoFaToken) {
    return (
      <p>
        <strong>SMS codes: off.</strong> The authenticator app is on; an account has one second factor at a time.
      </p>
    );
  }
  return (
    <StepUpForm
      flow={add}
      className="inline-form"
      check={() => phoneProblem(values.phone)}
      label="Send a code to this number"
      codeLabel="Save the phone"
      busyLabel="Sending…"
      look="plain"
    >
      <p>
        <strong>SMS codes: off.</strong>
      </p>
      <PhoneField {...bind("phone")} />
    </StepUpForm>
  );
}

export function SecondFactor({ settings, onChanged }: { settings: UserSettings; onChanged: () => void }) {
  const [changed, setChanged] = useState(false);
  const changedAndSaid = () => {
    setChanged(true);
    onChanged();
  };
  return (
    <Section
      id="settings-second-factor"
      title="Two-step sign-in"
      description="A second factor protects your account: an authenticator app or SMS codes to your phone (one at a time)."
    >
      {changed && <Notice>Your second factor is updated.</Notice>}
      <h3>Authenticator app</h3>
      <Authenticator
        key={String(settings.securitySettings.twoFaToken)}
        settings={settings}
        onChanged={changedAndSaid}
      />
      <h3>Phone for SMS codes</h3>
      <Phone key={settings.securitySettings.phone ?? "none"} settings={settings} onChanged={changedAndSaid} />
    </Section>
  );
}
