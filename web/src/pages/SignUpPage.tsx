import { useState, type FormEvent } from "react";
import { Link } from "react-router";
import { api } from "../api";
import { TextField } from "../components/Field";
import { PasswordRules } from "../components/PasswordRules";
import { FormFooter } from "../components/FormFooter";
import { Notice } from "../components/Status";
import { useAction } from "../lib/useAction";
import { usePageTitle } from "../lib/usePageTitle";
import { emailProblem, isStrongPassword, usernameProblem } from "../lib/validation";

interface SignUpForm {
  email: string;
  username: string;
  password: string;
  passwordRepeat: string;
  firstName: string;
  lastName: string;
  tac: boolean;
}

type Problems = Partial<Record<keyof SignUpForm, string>>;

function problemsOf(form: SignUpForm): Problems {
  const problems: Problems = {};
  const email = emailProblem(form.email);
  if (email) problems.email = email;
  const username = usernameProblem(form.username);
  if (username) problems.username = username;
  if (!isStrongPassword(form.password)) problems.password = "The password does not follow every rule yet.";
  if (form.passwordRepeat !== form.password) problems.passwordRepeat = "The two passwords are not the same.";
  if (!form.tac) problems.tac = "Please accept the terms and conditions to create an account.";
  return problems;
}

export function SignUpPage() {
  usePageTitle("Sign up");
  const [form, setForm] = useState<SignUpForm>({
    email: "",
    username: "",
    password: "",
    passwordRepeat: "",
    firstName: "",
    lastName: "",
    tac: false,
  });
  const [problems, setProblems] = useState<Problems>({});
  const [sentTo, setSentTo] = useState<string | null>(null);
  const signUp = useAction(() =>
    api.user.signUp({
      email: form.email.trim(),
      username: form.username,
      password: form.password,
      tac: form.tac,
      firstName: form.firstName.trim() || undefined,
      lastName: form.lastName.trim() || undefined,
    }),
  );

  const edit = (field: keyof SignUpForm) => (event: { target: { value: string } }) =>
    setForm((current) => ({ ...current, [field]: event.target.value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found = problemsOf(form);
    setProblems(found);
    if (Object.keys(found).length === 0 && (await signUp.run())) setSentTo(form.email.trim());
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
      <form className="card form" onSubmit={(event) => void submit(event)} noValidate>
        <TextField
          label="Email address"
          name="email"
          type="email"
          autoComplete="email"
          value={form.email}
          onChange={edit("email")}
          problem={problems.email}
        />
        <TextField
          label="Username"
          name="username"
          autoComplete="username"
          value={form.username}
          onChange={edit("username")}
          hint="Shown with your posts: 3 to 32 letters, digits, dots, dashes or underscores."
          problem={problems.username}
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          value={form.password}
          onChange={edit("password")}
          hint={<PasswordRules password={form.password} />}
          problem={problems.password}
        />
        <TextField
          label="Repeat the password"
          name="passwordRepeat"
          type="password"
          autoComplete="new-password"
          value={form.passwordRepeat}
          onChange={edit("passwordRepeat")}
          problem={problems.passwordRepeat}
        />
        <div className="field-row">
          <TextField
            label="First name (optional)"
            name="firstName"
            autoComplete="given-name"
            value={form.firstName}
            onChange={edit("firstName")}
            maxLength={100}
          />
          <TextField
            label="Last name (optional)"
            name="lastName"
            autoComplete="family-name"
            value={form.lastName}
            onChange={edit("lastName")}
            maxLength={100}
          />
        </div>
        <div className={`field field-checkbox${problems.tac ? " field-invalid" : ""}`}>
          <input
            id="tac"
            type="checkbox"
            name="tac"
            checked={form.tac}
            onChange={(e) => setForm((current) => ({ ...current, tac: e.target.checked }))}
          />
          <label htmlFor="tac">I accept the terms and conditions of Cryptotalks.</label>
          {problems.tac && <p className="field-problem">{problems.tac}</p>}
        </div>
        <FormFooter error={signUp.error} busy={signUp.busy} label="Sign up" busyLabel="Creating the account…" />
        <p className="muted">
          Already have an account? <Link to="/sign-in">Sign in</Link>
        </p>
      </form>
    </section>
  );
}
