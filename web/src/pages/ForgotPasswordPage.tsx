import { useState } from "react";
import { Link, useSearchParams } from "react-router";
import { api } from "../api";
import type { ForgotPasswordRequest } from "../api/types";
import { ActionForm } from "../components/ActionForm";
import { EmailField, NewPasswordField, PhoneField, TextField } from "../components/Field";
import { Notice } from "../components/Status";
import { useAction } from "../lib/useAction";
import { useFields } from "../lib/useFields";
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
  const { values, bind } = useFields({
    address: params.get("email") ?? "",
    verificationString: params.get("verificationString") ?? "",
    password: "",
  });
  const { address, verificationString, password } = values;
  const [step, setStep] = useState<"ask" | "reset" | "done">(linked ? "reset" : "ask");
  const call = useAction((request: ForgotPasswordRequest) => api.user.forgotPassword(request), RESET_WORDS);

  const target = () => (channel === "email" ? { email: address.trim() } : { phone: normalisePhone(address) });
  const send = (request: ForgotPasswordRequest, next: typeof step) =>
    void call.run(request).then((ok) => ok && setStep(next));

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
        <ActionForm
          className="card"
          check={() => (channel === "email" ? emailProblem(address) : phoneProblem(address))}
          onSend={() => send(target(), "reset")}
          busy={call.busy}
          error={call.error}
          label="Send the code"
          busyLabel="Sending…"
        >
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
          {channel === "email" ? <EmailField {...bind("address")} /> : <PhoneField {...bind("address")} />}
        </ActionForm>
      ) : (
        <ActionForm
          className="card"
          check={() =>
            !verificationString.trim()
              ? "Enter the code you received."
              : isStrongPassword(password)
                ? null
                : "The new password does not follow every rule yet."
          }
          onSend={() => send({ ...target(), verificationString: verificationString.trim(), password }, "done")}
          busy={call.busy}
          error={call.error}
          label="Set the new password"
          busyLabel="Saving…"
          actions={
            <button type="button" className="button button-quiet" onClick={() => setStep("ask")}>
              Ask for another code
            </button>
          }
        >
          {!linked && (
            <Notice>
              If an account uses {address.trim()}, a reset code is on its way. It is valid for{" "}
              {channel === "email" ? "an hour" : "5 minutes"}.
            </Notice>
          )}
          <TextField label="Reset code" autoComplete="one-time-code" {...bind("verificationString")} />
          <NewPasswordField {...bind("password")} />
        </ActionForm>
      )}
    </section>
  );
}
