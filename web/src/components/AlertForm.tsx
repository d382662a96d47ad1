import { useState } from "react";
import { Link, useLocation } from "react-router";
import { api } from "../api";
import type { AlertCondition } from "../api/types";
import { alertSetWords, CONDITIONS, thresholdProblem } from "../lib/alerts";
import { useAction } from "../lib/useAction";
import { useSession } from "../session/session";
import { ActionForm } from "./ActionForm";
import { TextField } from "./Field";
import { Notice } from "./Status";

const ERRORS = { "too-many-alerts": "You have 50 alerts already: delete one in your settings first." };

/** "Alert me": a price alert on this coin, told by notification, email (and SMS where chosen) when it crosses. */
export function AlertForm({ uuid, name }: { uuid: string; name: string }) {
  const { status } = useSession();
  const location = useLocation();
  const [condition, setCondition] = useState<AlertCondition>("above");
  const [threshold, setThreshold] = useState("");
  const [created, setCreated] = useState<{ condition: AlertCondition; threshold: number; armed: boolean } | null>(null);
  const save = useAction(async () => {
    const alert = { condition, threshold: Number(threshold) };
    const answer = await api.crypto.createAlert(uuid, alert.condition, alert.threshold);
    setCreated({ ...alert, armed: answer.armed });
  }, ERRORS);

  if (status !== "signed-in") {
    return (
      <p className="muted">
        <Link to={`/sign-in?next=${encodeURIComponent(location.pathname)}`}>Sign in</Link> to be alerted when {name}{" "}
        moves.
      </p>
    );
  }
  return (
    <ActionForm
      className="alert-form"
      check={() => thresholdProblem(condition, threshold)}
      onSend={() => void save.run().then((ok) => ok && setThreshold(""))}
      busy={save.busy}
      error={save.error}
      label="Alert me"
      busyLabel="Setting the alert…"
      actions={<Link to="/settings#settings-alerts">Your alerts</Link>}
    >
      <div className="field">
        <label htmlFor="alert-condition">When</label>
        <select
          id="alert-condition"
          value={condition}
          onChange={(event) => {
            setCondition(event.target.value as AlertCondition);
            save.reset();
          }}
        >
          {CONDITIONS.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
      <TextField
        label={condition === "change" ? "Percent" : "Price in USD"}
        name="threshold"
        inputMode="decimal"
        value={threshold}
        onChange={(event) => {
          setThreshold(event.target.value);
          save.reset();
        }}
      />
      {save.done && created && <Notice>{alertSetWords(created, created.armed, name)}</Notice>}
    </ActionForm>
  );
}
