// The API's input rules, checked while people type so forms explain themselves before they are sent.

import type { PostDraft } from "../api/types";

/** What a form with problems marked on its fields says beside its button. */
export const FIELDS_TO_FIX = "See the notes above: some fields need another look.";

export interface PasswordRule {
  id: string;
  label: string;
  met: boolean;
}

export const PASSWORD_SPECIALS = "#?!@$%^&*-";
const PASSWORD_MAX_LENGTH = 128;

export function passwordRules(password: string): PasswordRule[] {
  return [
    {
      id: "length",
      label: "At least 8 characters",
      met: password.length >= 8 && password.length <= PASSWORD_MAX_LENGTH,
    },
    { id: "upper", label: "An uppercase letter", met: /[A-Z]/.test(password) },
    { id: "lower", label: "A lowercase letter", met: /[a-z]/.test(password) },
    { id: "digit", label: "A digit", met: /\d/.test(password) },
    {
      id: "special",
      label: `One of ${PASSWORD_SPECIALS.split("").join(" ")}`,
      met: [...PASSWORD_SPECIALS].some((c) => password.includes(c)),
    },
  ];
}

export function isStrongPassword(password: string): boolean {
  return passwordRules(password).every((rule) => rule.met);
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;
const USERNAME = /^[A-Za-z0-9_.-]{3,32}$/;
const PHONE = /^\+[1-9]\d{6,14}$/;

export function emailProblem(email: string): string | null {
  if (!email.trim()) return "Enter your email address.";
  if (email.length > 254 || !EMAIL.test(email.trim())) return "Enter an email address like name@example.com.";
  return null;
}

export function usernameProblem(username: string): string | null {
  if (!USERNAME.test(username)) return "3 to 32 letters, digits, dots, dashes or underscores.";
  return null;
}

/** Phone numbers in international form; spaces, dashes and brackets people type are dropped. */
export function normalisePhone(phone: string): string {
  return phone.replace(/[\s().-]/g, "");
}

export function phoneProblem(phone: string): string | null {
  if (!PHONE.test(normalisePhone(phone))) return "Enter the number with its country code, like +48 123 456 789.";
  return null;
}

export function codeProblem(code: string): string | null {
  if (!/^\d{6}$/.test(code.trim())) return "Enter the 6-digit code.";
  return null;
}

export const PARAGRAPH_LIMIT = 50;
export const TAG_LIMIT = 10;
export const TAG_MAX_LENGTH = 20;

/** Tags typed as "bitcoin, defi": trimmed, empty ones dropped, duplicates kept once. */
export function parseTags(text: string): string[] {
  const tags = text
    .split(",")
    .map((tag) => tag.trim())
    .filter((tag) => tag.length > 0);
  return [...new Set(tags)];
}

/** Paragraphs are separated by blank lines. */
export function parseParagraphs(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph.length > 0);
}

export type PostDraftProblems = Partial<Record<keyof PostDraft, string>>;

export function postDraftProblems(draft: PostDraft): PostDraftProblems {
  const problems: PostDraftProblems = {};
  if (!draft.title.trim()) problems.title = "Give the post a title.";
  else if (draft.title.length > 200) problems.title = "Keep the title under 200 characters.";
  if (!draft.preview.trim()) problems.preview = "Write a short preview: it is shown in the list of posts.";
  else if (draft.preview.length > 1000) problems.preview = "Keep the preview under 1,000 characters.";
  if (draft.content.length === 0) problems.content = "Write at least one paragraph.";
  else if (draft.content.length > PARAGRAPH_LIMIT) problems.content = `Keep the text to ${PARAGRAPH_LIMIT} paragraphs.`;
  else if (draft.content.some((paragraph) => paragraph.length > 5000))
    problems.content = "Each paragraph can have up to 5,000 characters.";
  if (draft.searchTags.length > TAG_LIMIT) problems.searchTags = `Use at most ${TAG_LIMIT} tags.`;
  else if (draft.searchTags.some((tag) => tag.length > TAG_MAX_LENGTH))
    problems.searchTags = `Each tag can have up to ${TAG_MAX_LENGTH} characters.`;
  return problems;
}

export const AVATAR_TYPES = ["image/png", "image/jpeg", "image/webp"];
export const AVATAR_MAX_BYTES = 2 * 1024 * 1024;

export function avatarProblem(file: { type: string; size: number }): string | null {
  if (!AVATAR_TYPES.includes(file.type)) return "Choose a PNG, JPEG or WebP image.";
  if (file.size > AVATAR_MAX_BYTES) return "Choose an image of at most 2 MB.";
  return null;
}
