// The API's request and response bodies under the names the pages use. They come from ./openapi.ts, which
// `npm run generate:api` writes from schemas/openapi.json (`make schemas` writes that from the endpoint
// declarations); `npm run lint` and `npm test` fail when it is stale. Only what the document cannot say is
// written here by hand.

import type { components, operations } from "./openapi";

type Schemas = components["schemas"];

export type MessageResponse = Schemas["MessageResponse"];

/** Every error answer: `message` is a kebab-case code such as `wrong-credentials`. */
export interface ErrorBody {
  statusCode: number;
  message: string;
  error?: string;
}

// --- users and auth ---

export type AccessTokenResponse = Schemas["AccessTokenResponse"];
/** The signed-in user as the refresh answer carries it. */
export type UserProfile = Schemas["UserProfile"];
export type RefreshResponse = Schemas["RefreshResponse"];
export type SignUpRequest = Schemas["SignUpRequest"];
export type SignInRequest = Schemas["SignInRequest"];
export type ForgotPasswordRequest = Schemas["ForgotPasswordRequest"];
export type PublicProfile = Schemas["PublicProfile"];
export type PublicProfileResponse = Schemas["PublicProfileResponse"];

export type UserSettings = Schemas["UserSettings"];
export type PersonalSettings = Schemas["PersonalSettings"];
export type SecuritySettings = Schemas["SecuritySettings"];
export type PersonalSettingsRequest = Schemas["PersonalSettingsRequest"];
export type UploadPhotoRequest = Schemas["UploadPhotoRequest"];
export type PhotoUploaded = Schemas["PhotoUploaded"];
export type SetTwoFaRequest = Schemas["SetTwoFaRequest"];
export type TwoFaSetup = Schemas["TwoFaSetup"];
export type RemoveTwoFaRequest = Schemas["RemoveTwoFaRequest"];
export type SetPhoneRequest = Schemas["SetPhoneRequest"];
export type RemovePhoneRequest = Schemas["RemovePhoneRequest"];
export type ChangeEmailRequest = Schemas["ChangeEmailRequest"];
export type ChangePasswordRequest = Schemas["ChangePasswordRequest"];
export type CloseAccountRequest = Schemas["CloseAccountRequest"];

// --- posts ---

/** The document says `string` (anything else is answered `wrong-rate`); the client sends these two. */
export type Vote = "+" | "-";

export type Rate = Schemas["Rate"];
export type RateRequest = Schemas["RateRequest"];
export type Comment = Schemas["Comment"];
export type LeaveCommentRequest = Schemas["LeaveCommentRequest"];
export type PostInfo = Schemas["PostInfo"];
export type Post = Schemas["Post"];
/** A coin a post mentions; its price comes from the crypto API. */
export type MentionedCoin = Schemas["MentionedCoin"];
export type PostSummary = Schemas["PostSummary"];
export type PostList = Schemas["PostList"];
/** A post as its author writes it in the editor, which always sends the tags (the API defaults them to none). */
export type PostDraft = Required<Schemas["CreatePostRequest"]>;
export type UpdatePostRequest = Schemas["UpdatePostRequest"];
export type PostSaved = Schemas["PostSaved"];

export type ModerationMark = Schemas["ModerationMark"];

type PostListOrder = operations["listPosts"]["parameters"]["path"];
export type PostOrderBy = PostListOrder["orderBy"];
/** The API takes either case; the client sends upper case. */
export type SortOrder = Uppercase<PostListOrder["order"]>;

// --- moderation ---

export type ReportRequest = Schemas["ReportRequest"];
export type ReportReason = ReportRequest["reason"];
export type ModerationQueue = Schemas["ModerationQueue"];
export type QueueItem = Schemas["QueueItem"];
export type DecideRequest = Schemas["DecideRequest"];
export type Decision = DecideRequest["decision"];
export type Decided = Schemas["Decided"];
export type QueueOrder = NonNullable<NonNullable<operations["moderationQueue"]["parameters"]["query"]>["order"]>;
export type QueueState = NonNullable<NonNullable<operations["moderationQueue"]["parameters"]["query"]>["state"]>;

// --- crypto ---

export type CoinOrderBy = Schemas["CoinOrder"];
export type CoinSummary = Schemas["CoinSummary"];
export type CoinLink = Schemas["CoinLink"];
export type CoinDetails = Schemas["CoinDetails"];
export type CoinPage = Schemas["CoinPage"];
export type MarketStats = Schemas["MarketStats"];

// --- price alerts and notifications ---

export type AlertCondition = Schemas["AlertCondition"];
export type CreatePriceAlertRequest = Schemas["CreatePriceAlertRequest"];
export type PriceAlert = Schemas["PriceAlert"];
export type PriceAlertList = Schemas["PriceAlertList"];
export type PriceAlertCreated = Schemas["PriceAlertCreated"];
export type NoticeKind = Schemas["NoticeKind"];
export type Notification = Schemas["Notification"];
export type NotificationPage = Schemas["NotificationPage"];
export type MarkReadRequest = Schemas["MarkReadRequest"];
export type UnreadCount = Schemas["UnreadCount"];
export type Preference = Schemas["Preference"];
export type Preferences = Schemas["Preferences"];
export type PreferenceChange = Schemas["PreferenceChange"];
export type UnsubscribeRequest = Schemas["UnsubscribeRequest"];
export type Unsubscribed = Schemas["Unsubscribed"];
