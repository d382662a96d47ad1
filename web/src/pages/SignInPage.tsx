import { Link, useNavigate, useSearchParams } from "react-router";
import { EmailField, PasswordField } from "../components/Field";
import { StepUpForm } from "../components/StepUpForm";
import { useFields } from "../lib/useFields";
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
  const { values, bind } = useFields({ email: "", password: "" });
  const flow = useStepUp(
    (factor) => signIn(values.email.trim(), values.password, factor),
    () => navigate(safeNext(params.get("next")), { replace: true }),
  );

  return (
    <section className="narrow">
      <h1>Sign in</h1>
      <div className="card form">
        <StepUpForm
          flow={flow}
          check={() => emailProblem(values.email) ?? (values.password ? null : "Enter your password.")}
          label="Sign in"
          busyLabel="Signing in…"
          actions={<Link to="/forgot-password">Forgot your password?</Link>}
        >
          <EmailField {...bind("email")} />
          <PasswordField {...bind("password")} />
        </StepUpForm>
        <p className="muted">
          New to Cryptotalks? <Link to="/sign-up">Create an account</Link>
        </p>
      </div>
    </section>
  );
}
