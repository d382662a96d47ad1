// Who is signed in. The access token stays inside the API client (memory only); this holds the user.

import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { api, client, type SecondFactor } from "../api";
import type { Session } from "../api/client";
import { tokenRole } from "../api/tokens";
import type { MessageResponse, UserProfile, UserSettings } from "../api/types";

/** "loading" only while a page load looks for an existing session. */
export type SessionStatus = "loading" | "signed-in" | "signed-out";

export interface SessionContextValue {
  status: SessionStatus;
  /** Known shortly after the status turns "signed-in" (it is read once the token is there). */
  user: UserProfile | null;
  /** The token says the user moderates: the moderation page is linked. A hint only; the API decides. */
  moderates: boolean;
  /** `success` once signed in; otherwise the API's step-up answer (which second factor it asks for). */
  signIn: (email: string, password: string, factor?: SecondFactor) => Promise<MessageResponse>;
  signOut: () => Promise<void>;
  /** Read the user again after a change in the settings. */
  reloadUser: () => Promise<void>;
  /** The account is gone (closed): forget the session without calling the API. */
  forget: () => void;
}

const MODERATING_ROLES = new Set(["moderator", "admin"]);

const SessionContext = createContext<SessionContextValue | null>(null);

export function profileFromSettings(settings: UserSettings): UserProfile {
  const { personalSettings: personal, securitySettings: security } = settings;
  return { ...personal, email: security.email, isProfilePicPresent: settings.isProfilePicPresent };
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(client.current);
  const [restoring, setRestoring] = useState(true);

  useEffect(() => {
    const unsubscribe = client.subscribe(setSession);
    // A page load starts without an access token: the refresh cookie, if any, gives one back.
    client
      .refresh()
      .catch(() => null)
      .finally(() => setRestoring(false));
    return unsubscribe;
  }, []);

  const reloadUser = useCallback(async () => {
    client.setUser(profileFromSettings(await api.user.settings()));
  }, []);

  const signIn = useCallback(
    async (email: string, password: string, factor?: SecondFactor) => {
      const answer = await api.user.signIn(email, password, factor);
      if (!("_at" in answer)) return answer;
      client.startSession(answer._at);
      try {
        await reloadUser();
      } catch (error) {
        client.endSession();
        throw error;
      }
      return { message: "success" };
    },
    [reloadUser],
  );

  const signOut = useCallback(async () => {
    try {
      await api.user.logout();
    } finally {
      client.endSession();
    }
  }, []);

  const forget = useCallback(() => client.endSession(), []);

  const value = useMemo<SessionContextValue>(
    () => ({
      status: restoring ? "loading" : session ? "signed-in" : "signed-out",
      user: session?.user ?? null,
      moderates: session ? MODERATING_ROLES.has(tokenRole(session.accessToken)) : false,
      signIn,
      signOut,
      reloadUser,
      forget,
    }),
    [restoring, session, signIn, signOut, reloadUser, forget],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession outside SessionProvider");
  return value;
}
