import { useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router";
import { api } from "../api";
import type { ForgotPasswordRequest } from "../api/types";
import { TextField } from "../components/Field";
import { PasswordRules } from "../components/PasswordRules";
import { FormFooter } from "../components/FormFooter";
import { Notice } from "../components/Status";
import { useAction } from "../lib/useAction";
import { usePageTitle } from "../lib/usePageTitle";
import { emailProblem, isStrongPassword, normalisePhone, phoneProblem } from "../lib/validation";

type Channel = "email" | "phone";

const RESET_WORDS = {
  "bad-request": "Enter a valid email address or phone number.",
  "phone-code-error": "That code is wrong or has expired. Ask for a new one.",
};

/** Step one: a reset code by email or SMS. Step two: the code and a new password. */
export function ForgotPasswordPage() {
  usePageTitle("Reset the password");
  const [params] = useSearchParams();
  // The reset email links here with the address and the code filled in.
  const linked = Boolean(params.get("email") && params.get("verificationString"));
  const [channel, setChannel] = useState<Channel>("email");
  const [address, setAddress] = useState(params.get("email") ?? "");
  const [code, setCode] = useState(params.get("verificationString") ?? "");
  const [password, setPassword] = useState("");
  const [step, setStep] = useState<"ask" | "reset" | "done">(linked ? "reset" : "ask");
  const call = useAction((request: ForgotPasswordRequest) => api.user.forgotPassword(request), RESET_WORDS);

  const target = () => (channel === "email" ? { email: address.trim() } : { phone: normalisePhone(address) });

  async function askForCode(event: FormEvent) {
    event.preventDefault();
    const problem = channel === "email" ? emailProblem(address) : phoneProblem(address);
    if (problem) return call.fail(problem);
    if (await call.run(target())) setStep("reset");
  }

  async function reset(event: FormEvent) {
    event.preventDefault();
    if (!code.trim()) return call.fail("Enter the code you received.");
    if (!isStrongPassword(password)) return call.fail("The new password does not follow every rule yet.");
    if (await call.run({ ...target(), verificationString: code.trim(), password })) setStep("done");
  }

  if (step === "done") {
    return (
      <section className="narrow">
        <h1>Password changed</h1>
        <Notice>Your new password is set, and every other session has been signed out.</Notice>
        <Link className="button button-primary" to="/sign-in">
          Sign in
        </Link>
      </section>
    );
  }

  return (
    <section className="narrow">
      <h1>Reset the password</h1>
      {step === "ask" ? (
        <form className="card form" onSubmit={(event) => void askForCode(event)} noValidate>
          <fieldset className="choice">
            <legend>Send me a code by</legend>
            {(["email", "phone"] as const).map((option) => (
              <label key={option}>
                <input
                  type="radio"
                  name="channel"
                  value={option}
                  checked={channel === option}
                  onChange={() => setChannel(option)}
                />{" "}
                {option === "email" ? "Email" : "SMS (if you added a phone)"}
              </label>
            ))}
          </fieldset>
          <TextField
            label={channel === "email" ? "Email address" : "Phone number"}
            name="address"
            type={channel === "email" ? "email" : "tel"}
            autoComplete={channel === "email" ? "email" : "tel"}
            value={address}
            onChange={(e) => setAddress(e.target.value)}
          />
          <FormFooter error={call.error} busy={call.busy} label="Send the code" busyLabel="Sending…" />
        </form>
      ) : (
        <form className="card form" onSubmit={(event) => void reset(event)} noValidate>
          {!linked && (
            <Notice>
              If an account uses {address.trim()}, a reset code is on its way. It is valid for{" "}
              {channel === "email" ? "an hour" : "5 minutes"}.
            </Notice>
          )}
          <TextField
            label="Reset code"
            name="verificationString"
            autoComplete="one-time-code"
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
          <TextField
            label="New password"
            name="password"
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            hint={<PasswordRules password={password} />}
          />
          <FormFooter error={call.error} busy={call.busy} label="Set the new password" busyLabel="Saving…">
            <button type="button" className="button button-quiet" onClick={() => setStep("ask")}>
              Ask for another code
            </button>
          </FormFooter>
        </form>
      )}
    </section>
  );
}
