import { useState, type FormEvent } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { TextField } from "../components/Field";
import { FormFooter } from "../components/FormFooter";
import { WithStepUp } from "../components/StepUpPrompt";
import { usePageTitle } from "../lib/usePageTitle";
import { useStepUp } from "../lib/useStepUp";
import { emailProblem } from "../lib/validation";
import { useSession } from "../session/session";

/** Where to go after signing in: only paths of this site (never another origin). */
export function safeNext(next: string | null): string {
  return next && next.startsWith("/") && !next.startsWith("//") ? next : "/";
}

export function SignInPage() {
  usePageTitle("Sign in");
  const { signIn } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const flow = useStepUp(
    (factor) => signIn(email.trim(), password, factor),
    () => navigate(safeNext(params.get("next")), { replace: true }),
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    const found = emailProblem(email) ?? (password ? null : "Enter your password.");
    setProblem(found);
    if (!found) void flow.start();
  }

  return (
    <section className="narrow">
      <h1>Sign in</h1>
      <div className="card form">
        <WithStepUp flow={flow} submitLabel="Sign in">
          <form onSubmit={submit} noValidate>
            <TextField
              label="Email address"
              name="email"
              type="email"
              autoComplete="email"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
            <TextField
              label="Password"
              name="password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
            <FormFooter error={problem ?? flow.error} busy={flow.busy} label="Sign in" busyLabel="Signing in…">
              <Link to="/forgot-password">Forgot your password?</Link>
            </FormFooter>
          </form>
        </WithStepUp>
        <p className="muted">
          New to Cryptotalks? <Link to="/sign-up">Create an account</Link>
        </p>
      </div>
    </section>
  );
}
