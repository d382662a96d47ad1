// One typed function per API operation (schemas/openapi.json), grouped by the URL's module.

import type { ApiClient, QueryValue } from "./client";
import type {
  AccessTokenResponse,
  AlertCondition,
  ChangeEmailRequest,
  ChangePasswordRequest,
  CloseAccountRequest,
  CoinDetails,
  CoinOrderBy,
  CoinPage,
  DecideRequest,
  Decided,
  ForgotPasswordRequest,
  LeaveCommentRequest,
  MarketStats,
  MessageResponse,
  ModerationQueue,
  NotificationPage,
  PreferenceChange,
  Preferences,
  PriceAlertCreated,
  PriceAlertList,
  UnreadCount,
  UnsubscribeRequest,
  Unsubscribed,
  PersonalSettingsRequest,
  PhotoUploaded,
  Post,
  PostDraft,
  PostList,
  PostOrderBy,
  PostSaved,
  PublicProfileResponse,
  QueueOrder,
  QueueState,
  RateRequest,
  RemovePhoneRequest,
  RemoveTwoFaRequest,
  ReportRequest,
  SetPhoneRequest,
  SetTwoFaRequest,
  SignInRequest,
  SignUpRequest,
  SortOrder,
  TwoFaSetup,
  UpdatePostRequest,
  UploadPhotoRequest,
  UserSettings,
  Vote,
} from "./types";

/** The second factor an action asks for: an authenticator (TOTP) code or a code sent by SMS. */
export type StepUpKind = "totp" | "sms";

export interface SecondFactor {
  kind: StepUpKind;
  code: string;
}

/** Step-ups come back as success bodies: `two-fa-required`, `phone-two-fa-required` or `code-sent`. */
export function stepUpOf(answer: object): StepUpKind | null {
  if (!("message" in answer)) return null;
  if (answer.message === "two-fa-required") return "totp";
  if (answer.message === "phone-two-fa-required" || answer.message === "code-sent") return "sms";
  return null;
}

/** Most endpoints take the authenticator code as `twoFaCode` and the SMS code as `code`. */
function factorFields(factor?: SecondFactor): { twoFaCode?: string; code?: string } {
  if (!factor) return {};
  return factor.kind === "totp" ? { twoFaCode: factor.code } : { code: factor.code };
}

function path(...segments: (string | number)[]): string {
  return segments.map((segment) => encodeURIComponent(String(segment))).join("/");
}

export interface Page {
  page: number;
  pageSize: number;
}

export interface PostQuery extends Page {
  order: SortOrder;
  orderBy: PostOrderBy;
  searchQuery?: string;
  username?: string;
  /** Posts with any of these. */
  tags?: string[];
}

export interface QueueQuery extends Page {
  order: QueueOrder;
  /** `open`: reported and held items, waiting for a decision; `hidden`: hidden items, to restore. */
  state: QueueState;
}

export interface CoinQuery extends Page {
  order: SortOrder;
  orderBy: CoinOrderBy;
  searchQuery?: string;
}

export interface FavoritesQuery extends Page {
  order: SortOrder;
  orderBy: CoinOrderBy;
  /** Whose favourites; the signed-in user's when left out. */
  username?: string;
}

export function createApi(client: ApiClient) {
  const get = <T>(url: string, query?: Record<string, QueryValue>, auth: "none" | "optional" | "required" = "none") =>
    client.request<T>(url, { query, auth });
  const send = <T>(method: "POST" | "PATCH" | "DELETE", url: string, body?: unknown) =>
    client.request<T>(url, { method, body, auth: "required" });

  return {
    user: {
      signUp: (body: SignUpRequest) => client.request<MessageResponse>("/api/user/sign-up", { method: "POST", body }),
      signIn: (email: string, password: string, factor?: SecondFactor) =>
        client.request<AccessTokenResponse | MessageResponse>("/api/user/sign-in", {
          method: "POST",
          body: { email, password, ...factorFields(factor) } satisfies SignInRequest,
        }),
      logout: () => get<MessageResponse>("/api/user/logout", undefined, "required"),
      confirmAccount: (hash: string) => get<MessageResponse>(`/api/user/account-confirmation/${path(hash)}`),
      confirmEmailChange: (hash: string) => get<MessageResponse>(`/api/user/email-change-confirmation/${path(hash)}`),
      forgotPassword: (body: ForgotPasswordRequest) =>
        client.request<MessageResponse>("/api/user/forgot-password", { method: "POST", body }),
      profile: (username: string) => get<PublicProfileResponse>(`/api/user/get/${path(username)}`),
      settings: () => get<UserSettings>("/api/user/get-settings", undefined, "required"),
      setPersonalSettings: (body: PersonalSettingsRequest) =>
        send<MessageResponse>("PATCH", "/api/user/set-personal-settings", body),
      uploadPhoto: (dataUrl: string) =>
        send<PhotoUploaded>("POST", "/api/user/upload-photo", { photo: dataUrl } satisfies UploadPhotoRequest),
      startTwoFa: () => send<TwoFaSetup>("POST", "/api/user/set-2fa", {} satisfies SetTwoFaRequest),
      confirmTwoFa: (twoFaToken: string, twoFaCode: string) =>
        send<MessageResponse>("POST", "/api/user/set-2fa", { twoFaToken, twoFaCode } satisfies SetTwoFaRequest),
      removeTwoFa: (twoFaCode: string) =>
        send<MessageResponse>("POST", "/api/user/remove-2fa", { twoFaCode } satisfies RemoveTwoFaRequest),
      setPhone: (phone: string, code?: string) =>
        send<MessageResponse>("POST", "/api/user/set-phone", { phone, code } satisfies SetPhoneRequest),
      removePhone: (code?: string) =>
        send<MessageResponse>("POST", "/api/user/remove-phone", { code } satisfies RemovePhoneRequest),
      // Both prove the password first: a stolen access token alone changes neither.
      changeEmail: (email: string, currentPassword: string, factor?: SecondFactor) =>
        send<MessageResponse>("POST", "/api/user/change-email", {
          email,
          currentPassword,
          ...factorFields(factor),
        } satisfies ChangeEmailRequest),
      changePassword: (password: string, passwordRepeat: string, currentPassword: string, factor?: SecondFactor) =>
        send<MessageResponse>("POST", "/api/user/change-password", {
          password,
          passwordRepeat,
          currentPassword,
          ...factorFields(factor),
        } satisfies ChangePasswordRequest),
      // Closing takes either kind of code in `code`.
      closeAccount: (password: string, factor?: SecondFactor) =>
        send<MessageResponse>("POST", "/api/user/close-account", {
          password,
          code: factor?.code,
        } satisfies CloseAccountRequest),
    },

    posts: {
      list: ({ page, pageSize, order, orderBy, searchQuery, username, tags }: PostQuery) =>
        get<PostList>(
          `/api/posts/list/${path(page, pageSize, order, orderBy)}`,
          { searchQuery, username, tags: tags?.join(",") },
          "optional",
        ),
      /** The posts that mention a coin (by cashtag or tag), newest first. */
      aboutCoin: (uuid: string, { page, pageSize }: Page) =>
        get<PostList>(`/api/posts/coin/${path(uuid, page, pageSize)}`, undefined, "optional"),
      get: (slug: string, toEdit = false) =>
        get<Post>(
          `/api/posts/get/${path(slug)}`,
          { toEdit: toEdit ? "yes" : undefined },
          toEdit ? "required" : "optional",
        ),
      create: (draft: PostDraft) => send<PostSaved>("POST", "/api/posts/create", draft),
      update: (id: string, draft: UpdatePostRequest) =>
        send<PostSaved>("PATCH", `/api/posts/update/${path(id)}`, draft),
      remove: (id: string, factor?: SecondFactor) =>
        client.request<MessageResponse>(`/api/posts/delete/${path(id)}`, {
          method: "DELETE",
          query: factorFields(factor),
          auth: "required",
        }),
      comment: (postId: string, comment: string) =>
        send<MessageResponse>("PATCH", `/api/posts/comment/${path(postId)}`, { comment } satisfies LeaveCommentRequest),
      ratePost: (postId: string, rate: Vote) =>
        send<MessageResponse>("PATCH", `/api/posts/rate/post/${path(postId)}`, { rate } satisfies RateRequest),
      rateComment: (postId: string, commentId: string, rate: Vote) =>
        send<MessageResponse>("PATCH", `/api/posts/rate/comment/${path(postId, commentId)}`, {
          rate,
        } satisfies RateRequest),
      report: (report: ReportRequest) => send<MessageResponse>("POST", "/api/posts/report", report),
    },

    // Moderators only: the API reads the caller's role from its database (the token's role is a hint).
    moderation: {
      queue: ({ page, pageSize, order, state }: QueueQuery) =>
        get<ModerationQueue>(`/api/moderation/queue/${path(page, pageSize)}`, { order, state }, "required"),
      decide: (decision: DecideRequest) => send<Decided>("POST", "/api/moderation/decide", decision),
    },

    crypto: {
      list: ({ page, pageSize, order, orderBy, searchQuery }: CoinQuery) =>
        get<CoinPage>(`/api/crypto/list/${path(page, pageSize, order, orderBy)}`, { searchQuery }),
      favorites: ({ page, pageSize, order, orderBy, username }: FavoritesQuery) =>
        get<CoinPage>(
          `/api/crypto/list-favorites/${path(page, pageSize, order, orderBy)}`,
          { username },
          username ? "none" : "required",
        ),
      get: (uuid: string) => get<CoinDetails>(`/api/crypto/get/${path(uuid)}`, undefined, "optional"),
      marketStats: () => get<MarketStats>("/api/crypto/market-stats"),
      addFavorite: (uuid: string) => send<MessageResponse>("PATCH", `/api/crypto/favorites/${path(uuid)}`),
      removeFavorite: (uuid: string) => send<MessageResponse>("DELETE", `/api/crypto/favorites/${path(uuid)}`),
      alerts: () => get<PriceAlertList>("/api/crypto/alerts", undefined, "required"),
      createAlert: (uuid: string, condition: AlertCondition, threshold: number) =>
        send<PriceAlertCreated>("POST", "/api/crypto/alerts", { uuid, condition, threshold }),
      deleteAlert: (id: string) => send<MessageResponse>("DELETE", `/api/crypto/alerts/${path(id)}`),
    },
    notifications: {
      list: ({ page, pageSize }: Page) =>
        get<NotificationPage>(`/api/notifications/${path(page, pageSize)}`, undefined, "required"),
      /** Those listed, or all without `ids`. */
      markRead: (ids?: string[]) => send<UnreadCount>("POST", "/api/notifications/read", ids ? { ids } : {}),
      preferences: () => get<Preferences>("/api/notifications/preferences", undefined, "required"),
      setPreferences: (preferences: PreferenceChange[]) =>
        send<Preferences>("PATCH", "/api/notifications/preferences", { preferences }),
      /** Signed out: the signed token of an email's link stops that kind of email. */
      unsubscribe: (token: string) =>
        client.request<Unsubscribed>("/api/notifications/unsubscribe", {
          method: "POST",
          body: { token } satisfies UnsubscribeRequest,
        }),
    },
  };
}

export type Api = ReturnType<typeof createApi>;
