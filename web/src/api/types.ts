// Request and response bodies of the Cryptotalks API, written from schemas/openapi.json
// (component names kept, so a reader can look each one up there).

export interface MessageResponse {
  message: string;
}

export interface ErrorBody {
  statusCode: number;
  message: string;
  error?: string;
}

// --- users and auth ---

export interface AccessTokenResponse {
  _at: string;
}

/** What every view of a person carries (the API's profile fields). */
export interface PersonFields {
  id: string;
  username: string;
  firstName: string | null;
  lastName: string | null;
  twitter: string | null;
  linkedIn: string | null;
  personalWebsite: string | null;
  title: string | null;
  bio: string | null;
  createdAt: string;
}

/** The signed-in user as the refresh answer carries it. */
export interface UserProfile extends PersonFields {
  email: string;
  isProfilePicPresent: boolean;
}

export interface RefreshResponse extends AccessTokenResponse {
  user: UserProfile;
}

export interface SignUpRequest {
  email: string;
  password: string;
  username: string;
  tac: boolean;
  firstName?: string;
  lastName?: string;
  publicEmail?: boolean;
}

export interface SignInRequest {
  email: string;
  password: string;
  twoFaCode?: string;
  code?: string;
}

export interface ForgotPasswordRequest {
  email?: string;
  phone?: string;
  verificationString?: string;
  password?: string;
}

export interface PublicProfile extends PersonFields {
  /** Only when the user made it public. */
  email: string | null;
  isProfilePicPresent: boolean;
  profilePicUrl: string | null;
}

export interface PublicProfileResponse {
  data: PublicProfile;
}

export type PersonalSettings = PersonFields;

export interface SecuritySettings {
  email: string;
  emailChanged: boolean;
  passwordChanged: string | null;
  phone: string | null;
  publicEmail: boolean;
  /** Whether authenticator 2FA is on. */
  twoFaToken: boolean;
}

export interface UserSettings {
  isProfilePicPresent: boolean;
  profilePicUrl: string | null;
  personalSettings: PersonalSettings;
  securitySettings: SecuritySettings;
}

export interface PersonalSettingsRequest {
  username?: string;
  firstName?: string | null;
  lastName?: string | null;
  title?: string | null;
  bio?: string | null;
  twitter?: string | null;
  linkedIn?: string | null;
  personalWebsite?: string | null;
  publicEmail?: boolean;
}

export interface PhotoUploaded {
  message: string;
  /** A presigned URL, valid one hour. */
  url: string;
}

export interface TwoFaSetup {
  twoFaToken: string;
  uri: string;
  /** A PNG QR code as a data: URL. */
  qrCode: string;
}

// --- posts ---

export type Vote = "+" | "-";

export interface Rate {
  rate: string;
  /** The reader's own vote. */
  rated: boolean;
  userId: string | null;
  username: string;
}

export interface Comment {
  id: string;
  payload: string;
  createdAt: string;
  rating: number;
  commentRates: Rate[];
  userId: string | null;
  username: string;
}

export interface PostInfo {
  commentCount: number;
  comments: Comment[];
  rates: Rate[];
  rating: number;
}

export interface Post {
  id: string;
  slug: string;
  title: string;
  preview: string;
  content: string[];
  searchTags: string[];
  createdAt: string;
  updatedAt: string;
  userId: string;
  username: string;
  postInfo: PostInfo;
}

export interface PostSummary {
  id: string;
  slug: string;
  title: string;
  preview: string;
  searchTags: string[];
  createdAt: string;
  rating: number;
  rates: Rate[];
  commentCount: number;
  userId: string;
  username: string;
}

export interface PostList {
  count: number;
  rows: PostSummary[];
}

export interface PostDraft {
  title: string;
  preview: string;
  content: string[];
  searchTags: string[];
}

export interface PostSaved {
  id: string;
  slug: string;
  message: string;
}

export type PostOrderBy = "createdAt" | "title" | "rate";

// --- crypto ---

export type CoinOrderBy =
  "rank" | "name" | "price" | "marketCap" | "change" | "volume24h" | "tier" | "createdAt" | "likes";

export interface CoinSummary {
  id: string;
  uuid: string;
  symbol: string;
  name: string;
  iconUrl: string | null;
  rank: number;
  tier: number | null;
  price: number | null;
  btcPrice: number | null;
  /** Percent over the last 24 hours. */
  change: number | null;
  /** USD as a decimal string. */
  marketCap: string | null;
  /** USD as a decimal string. */
  volume24h: string | null;
  coinrankingUrl: string | null;
  /** Hourly prices of the last 24 hours, oldest first. */
  sparkline: (string | null)[];
}

export interface CoinLink {
  type: string;
  url: string;
}

export interface CoinDetails extends CoinSummary {
  description: string | null;
  links: CoinLink[];
  /** null when the reader is not signed in. */
  isFavorite: boolean | null;
  symbolId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface CoinPage {
  count: number;
  rows: CoinSummary[];
}

export interface MarketStats {
  total: number | null;
  totalCoins: number | null;
  totalMarkets: number | null;
  totalExchanges: number | null;
  totalMarketCap: string | null;
  total24hVolume: string | null;
  updatedAt: string | null;
}

export type SortOrder = "ASC" | "DESC";
