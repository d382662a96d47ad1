import { Link } from "react-router";
import { api, errorText } from "../../api";
import type { PreferenceChange, Preferences } from "../../api/types";
import { CoinIcon } from "../../components/CoinIcon";
import { Loaded } from "../../components/Loaded";
import { EmptyState, ErrorMessage } from "../../components/Status";
import { describeAlert } from "../../lib/alerts";
import { formatDateTime, formatPrice } from "../../lib/format";
import { useAction } from "../../lib/useAction";
import { useResource } from "../../lib/useResource";
import { Section } from "./Section";
import { useId, useState } from "react";

/** Your price alerts, with a way to delete each. */
export function PriceAlerts() {
  const alerts = useResource(() => api.crypto.alerts(), "alerts");
  const remove = useAction((id: string) => api.crypto.deleteAlert(id));
  return (
    <Section
      id="settings-alerts"
      title="Price alerts"
      description="Set one on a coin's page. Each is told once per crossing, after the hourly price update."
    >
      <Loaded resource={alerts} loadingLabel="Loading your alerts…">
        {(data) =>
          data.count === 0 ? (
            <EmptyState title="No price alerts">
              <Link to="/coins">Pick a coin</Link> and use “Alert me”.
            </EmptyState>
          ) : (
            <>
              <p className="muted">
                {data.count} of {data.limit} alerts.
              </p>
              {remove.error && <ErrorMessage error={remove.error} />}
              <ul className="alert-list">
                {data.rows.map((alert) => (
                  <li key={alert.id}>
                    <CoinIcon url={alert.iconUrl} symbol={alert.symbol} size={20} />{" "}
                    <Link to={`/coins/${encodeURIComponent(alert.uuid)}`}>{alert.name}</Link> {describeAlert(alert)}{" "}
                    <span className="muted">(now {formatPrice(alert.price)})</span>
                    {alert.lastFiredAt && (
                      <span className="muted"> · last told {formatDateTime(alert.lastFiredAt)}</span>
                    )}{" "}
                    <button
                      type="button"
                      className="button button-small"
                      disabled={remove.busy}
                      aria-label={`Delete the alert on ${alert.name} ${describeAlert(alert)}`}
                      onClick={() => void remove.run(alert.id).then((ok) => ok && alerts.reload())}
                    >
                      Delete
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )
        }
      </Loaded>
    </Section>
  );
}

export function PreferenceRows({
  preferences,
  onChange,
}: {
  preferences: Preferences;
  onChange: (next: Preferences) => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const requiredId = useId();
  async function change(update: PreferenceChange) {
    setError(null);
    try {
      onChange(await api.notifications.setPreferences([update]));
    } catch (caught) {
      setError(errorText(caught, { "sms-not-possible": "Add a phone number (two-step sign-in) to get SMS." }));
    }
  }
  return (
    <>
      {error && <ErrorMessage error={error} />}
      <table className="preferences">
        <thead>
          <tr>
            <th scope="col">Notification</th>
            <th scope="col">Email</th>
            <th scope="col">SMS</th>
          </tr>
        </thead>
        <tbody>
          {preferences.preferences.map((preference) => (
            <tr key={preference.kind}>
              <th scope="row">{preference.label}</th>
              <td>
                <input
                  type="checkbox"
                  aria-label={`Email: ${preference.label}`}
                  aria-describedby={preference.emailRequired ? `${requiredId}-${preference.kind}` : undefined}
                  checked={preference.emailRequired || preference.email}
                  disabled={preference.emailRequired}
                  onChange={(event) => void change({ kind: preference.kind, email: event.target.checked })}
                />
                {preference.emailRequired && (
                  <span id={`${requiredId}-${preference.kind}`} className="muted preference-note">
                    Always: they tell you when someone else may be using your account.
                  </span>
                )}
              </td>
              <td>
                {preference.smsPossible ? (
                  <input
                    type="checkbox"
                    aria-label={`SMS: ${preference.label}`}
                    checked={preference.sms}
                    disabled={!preferences.phoneVerified && !preference.sms}
                    onChange={(event) => void change({ kind: preference.kind, sms: event.target.checked })}
                  />
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {!preferences.phoneVerified && <p className="muted">SMS needs a phone number, set under two-step sign-in.</p>}
    </>
  );
}

/** Which notifications also come by email (in a digest, at most one per post an hour) or SMS. */
export function NotificationPreferences() {
  const preferences = useResource(() => api.notifications.preferences(), "preferences");
  const [changed, setChanged] = useState<Preferences | null>(null);
  return (
    <Section
      id="settings-notifications"
      title="Notification emails"
      description="Everything shows under the bell. Choose what also comes by email or SMS."
    >
      <Loaded resource={preferences} loadingLabel="Loading your choices…">
        {(data) => <PreferenceRows preferences={changed ?? data} onChange={setChanged} />}
      </Loaded>
    </Section>
  );
}
