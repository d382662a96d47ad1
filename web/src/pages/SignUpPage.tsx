import { useState } from "react";
import { Link } from "react-router";
import { api } from "../api";
import { ActionForm } from "../components/ActionForm";
import { CheckboxField, EmailField, NewPasswordField, PasswordField, TextField } from "../components/Field";
import { Notice } from "../components/Status";
import { useAction } from "../lib/useAction";
import { useFields } from "../lib/useFields";
import { usePageTitle } from "../lib/usePageTitle";
import { emailProblem, FIELDS_TO_FIX, isStrongPassword, usernameProblem } from "../lib/validation";

interface SignUpFields {
  email: string;
  username: string;
  password: string;
  passwordRepeat: string;
  firstName: string;
  lastName: string;
}

type Problems = Partial<Record<keyof SignUpFields | "tac", string>>;

function problemsOf(form: SignUpFields, tac: boolean): Problems {
  const problems: Problems = {};
  const email = emailProblem(form.email);
  if (email) problems.email = email;
  const username = usernameProblem(form.username);
  if (username) problems.username = username;
  if (!isStrongPassword(form.password)) problems.password = "The password does not follow every rule yet.";
  if (form.passwordRepeat !== form.password) problems.passwordRepeat = "The two passwords are not the same.";
  if (!tac) problems.tac = "Please accept the terms and conditions to create an account.";
  return problems;
}

export function SignUpPage() {
  usePageTitle("Sign up");
  const { values: form, bind } = useFields<SignUpFields>({
    email: "",
    username: "",
    password: "",
    passwordRepeat: "",
    firstName: "",
    lastName: "",
  });
  const [tac, setTac] = useState(false);
  const [problems, setProblems] = useState<Problems>({});
  const [sentTo, setSentTo] = useState<string | null>(null);
  const signUp = useAction(() =>
    api.user.signUp({
      email: form.email.trim(),
      username: form.username,
      password: form.password,
      tac,
      firstName: form.firstName.trim() || undefined,
      lastName: form.lastName.trim() || undefined,
    }),
  );

  function check(): string | null {
    const found = problemsOf(form, tac);
    setProblems(found);
    return Object.keys(found).length > 0 ? FIELDS_TO_FIX : null;
  }

  if (sentTo) {
    return (
      <section className="narrow">
        <h1>Check your email</h1>
        <Notice>
          We sent a confirmation link to <strong>{sentTo}</strong>. Open it to confirm your account, then sign in.
        </Notice>
        <p>
          <Link to="/sign-in">Go to sign in</Link>
        </p>
      </section>
    );
  }

  return (
    <section className="narrow">
      <h1>Create your account</h1>
      <div className="card form">
        <ActionForm
          check={check}
          onSend={() => void signUp.run().then((ok) => ok && setSentTo(form.email.trim()))}
          busy={signUp.busy}
          error={signUp.error}
          label="Sign up"
          busyLabel="Creating the account…"
        >
          <EmailField {...bind("email")} problem={problems.email} />
          <TextField
            label="Username"
            autoComplete="username"
            {...bind("username")}
            hint="Shown with your posts: 3 to 32 letters, digits, dots, dashes or underscores."
            problem={problems.username}
          />
          <NewPasswordField label="Password" {...bind("password")} problem={problems.password} />
          <PasswordField
            label="Repeat the password"
            isNew
            {...bind("passwordRepeat")}
            problem={problems.passwordRepeat}
          />
          <div className="field-row">
            <TextField label="First name (optional)" autoComplete="given-name" maxLength={100} {...bind("firstName")} />
            <TextField label="Last name (optional)" autoComplete="family-name" maxLength={100} {...bind("lastName")} />
          </div>
          <CheckboxField
            label="I accept the terms and conditions of Cryptotalks."
            name="tac"
            checked={tac}
            onChange={setTac}
            problem={problems.tac}
          />
        </ActionForm>
        <p className="muted">
          Already have an account? <Link to="/sign-in">Sign in</Link>
        </p>
      </div>
    </section>
  );
}
