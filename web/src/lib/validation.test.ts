import { describe, expect, it } from "vitest";
import {
  avatarProblem,
  codeProblem,
  emailProblem,
  isStrongPassword,
  normalisePhone,
  parseParagraphs,
  parseTags,
  passwordRules,
  phoneProblem,
  postDraftProblems,
  usernameProblem,
} from "./validation";

const unmet = (password: string) =>
  passwordRules(password)
    .filter((rule) => !rule.met)
    .map((rule) => rule.id);

describe("password rules", () => {
  it("ticks off each rule as it is met", () => {
    expect(unmet("")).toEqual(["length", "upper", "lower", "digit", "special"]);
    expect(unmet("hodl")).toEqual(["length", "upper", "digit", "special"]);
    expect(unmet("Hodl2009")).toEqual(["special"]);
    expect(unmet("Hodl!2009")).toEqual([]);
  });

  it("matches the API's policy", () => {
    expect(isStrongPassword("Hodl!2009")).toBe(true);
    expect(isStrongPassword("Hodl_2009")).toBe(false); // _ is not one of the API's special characters
    expect(isStrongPassword(`Aa1!${"x".repeat(125)}`)).toBe(false); // longer than 128
  });
});

describe("account fields", () => {
  it("checks email addresses", () => {
    expect(emailProblem("satoshi@example.com")).toBeNull();
    expect(emailProblem("")).toMatch(/Enter your email/);
    expect(emailProblem("satoshi@example")).toMatch(/like name@example.com/);
  });

  it("checks usernames", () => {
    expect(usernameProblem("john.doe_42")).toBeNull();
    expect(usernameProblem("jo")).not.toBeNull();
    expect(usernameProblem("john doe")).not.toBeNull();
  });

  it("reads phone numbers as people type them", () => {
    expect(normalisePhone("+48 (123) 456-789")).toBe("+48123456789");
    expect(phoneProblem("+48 123 456 789")).toBeNull();
    expect(phoneProblem("123456789")).toMatch(/country code/);
  });

  it("expects 6-digit codes", () => {
    expect(codeProblem(" 123456 ")).toBeNull();
    expect(codeProblem("12345")).not.toBeNull();
  });

  it("takes PNG, JPEG and WebP pictures of at most 2 MB", () => {
    expect(avatarProblem({ type: "image/png", size: 1000 })).toBeNull();
    expect(avatarProblem({ type: "image/gif", size: 1000 })).toMatch(/PNG, JPEG or WebP/);
    expect(avatarProblem({ type: "image/webp", size: 3 * 1024 * 1024 })).toMatch(/2 MB/);
  });
});

describe("post drafts", () => {
  const draft = { title: "Halving", preview: "Soon.", content: ["One."], searchTags: ["btc"] };

  it("splits tags on commas and paragraphs on blank lines", () => {
    expect(parseTags(" btc, defi,, btc ,")).toEqual(["btc", "defi"]);
    expect(parseParagraphs("One\nstill one.\n\n  \nTwo.\n")).toEqual(["One\nstill one.", "Two."]);
  });

  it("explains what is missing or too long", () => {
    expect(postDraftProblems(draft)).toEqual({});
    expect(postDraftProblems({ title: " ", preview: "", content: [], searchTags: [] })).toEqual({
      title: "Give the post a title.",
      preview: "Write a short preview: it is shown in the list of posts.",
      content: "Write at least one paragraph.",
    });
    expect(postDraftProblems({ ...draft, content: Array.from({ length: 51 }, () => "p") }).content).toMatch(
      /50 paragraphs/,
    );
    expect(postDraftProblems({ ...draft, searchTags: ["x".repeat(21)] }).searchTags).toMatch(/20 characters/);
    expect(
      postDraftProblems({ ...draft, searchTags: Array.from({ length: 11 }, (_, i) => `t${i}`) }).searchTags,
    ).toMatch(/at most 10/);
  });
});
