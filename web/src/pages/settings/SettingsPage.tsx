import { useCallback } from "react";
import { api } from "../../api";
import { Loaded } from "../../components/Loaded";
import { useHashTarget } from "../../lib/useHashTarget";
import { usePageTitle } from "../../lib/usePageTitle";
import { useResource } from "../../lib/useResource";
import { useSession } from "../../session/session";
import { ChangeEmail, ChangePassword, CloseAccount } from "./AccountSecurity";
import { NotificationPreferences, PriceAlerts } from "./Notifications";
import { PersonalDetails } from "./PersonalDetails";
import { ProfilePicture } from "./ProfilePicture";
import { SecondFactor } from "./SecondFactor";

export function SettingsPage() {
  usePageTitle("Settings");
  const { reloadUser } = useSession();
  const settings = useResource(() => api.user.settings(), "settings");
  const { reload } = settings;
  useHashTarget(settings.data !== undefined); // links to a section: "Your alerts", an email's unsubscribe page
  const changed = useCallback(() => {
    reload();
    void reloadUser().catch(() => undefined); // the header catches up on the next page load at worst
  }, [reload, reloadUser]);

  return (
    <div className="settings">
      <h1>Settings</h1>
      <Loaded resource={settings} loadingLabel="Loading your settings…">
        {(data) => (
          <>
            <nav className="settings-nav" aria-label="Settings sections">
              <a href="#settings-personal">Details</a>
              <a href="#settings-picture">Picture</a>
              <a href="#settings-second-factor">Two-step sign-in</a>
              <a href="#settings-notifications">Notifications</a>
              <a href="#settings-alerts">Price alerts</a>
              <a href="#settings-email">Email</a>
              <a href="#settings-password">Password</a>
              <a href="#settings-close">Close account</a>
            </nav>
            <PersonalDetails settings={data} onSaved={changed} />
            <ProfilePicture settings={data} onSaved={changed} />
            <SecondFactor settings={data} onChanged={changed} />
            <NotificationPreferences />
            <PriceAlerts />
            <ChangeEmail settings={data} />
            <ChangePassword settings={data} />
            <CloseAccount />
          </>
        )}
      </Loaded>
    </div>
  );
}
