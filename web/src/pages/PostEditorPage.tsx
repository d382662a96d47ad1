import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { api, notFoundWords } from "../api";
import type { Post, PostDraft } from "../api/types";
import { ActionForm } from "../components/ActionForm";
import { TextArea, TextField } from "../components/Field";
import { Loaded } from "../components/Loaded";
import { useAction } from "../lib/useAction";
import { useFields } from "../lib/useFields";
import { usePageTitle } from "../lib/usePageTitle";
import { useResource } from "../lib/useResource";
import {
  FIELDS_TO_FIX,
  parseParagraphs,
  parseTags,
  postDraftProblems,
  TAG_LIMIT,
  TAG_MAX_LENGTH,
  type PostDraftProblems,
} from "../lib/validation";

interface EditorText {
  title: string;
  preview: string;
  /** Paragraphs separated by blank lines. */
  content: string;
  /** Comma-separated. */
  tags: string;
}

function textOf(post?: Post): EditorText {
  return {
    title: post?.title ?? "",
    preview: post?.preview ?? "",
    content: post?.content.join("\n\n") ?? "",
    tags: post?.searchTags.join(", ") ?? "",
  };
}

function draftOf(text: EditorText): PostDraft {
  return {
    title: text.title.trim(),
    preview: text.preview.trim(),
    content: parseParagraphs(text.content),
    searchTags: parseTags(text.tags),
  };
}

function PostEditor({ post }: { post?: Post }) {
  const navigate = useNavigate();
  const { values: text, bind } = useFields<EditorText>(() => textOf(post));
  const [problems, setProblems] = useState<PostDraftProblems>({});
  const draft = draftOf(text);
  const save = useAction(async () => {
    const saved = post ? await api.posts.update(post.id, draft) : await api.posts.create(draft);
    navigate(`/posts/${encodeURIComponent(saved.slug)}`);
  });

  function check(): string | null {
    const found = postDraftProblems(draft);
    setProblems(found);
    return Object.keys(found).length > 0 ? FIELDS_TO_FIX : null;
  }

  return (
    <ActionForm
      className="card editor"
      check={check}
      onSend={() => void save.run()}
      busy={save.busy}
      error={save.error}
      label={post ? "Save changes" : "Publish"}
      busyLabel="Saving…"
      actions={
        <Link className="button button-quiet" to={post ? `/posts/${encodeURIComponent(post.slug)}` : "/"}>
          Cancel
        </Link>
      }
    >
      <TextField label="Title" {...bind("title")} maxLength={200} problem={problems.title} required />
      <TextArea
        label="Preview"
        rows={3}
        {...bind("preview")}
        maxLength={1000}
        hint="One or two sentences, shown in the list of posts."
        problem={problems.preview}
      />
      <TextArea
        label="Text"
        rows={12}
        {...bind("content")}
        hint={`Leave an empty line between paragraphs (${draft.content.length} so far).`}
        problem={problems.content}
      />
      <TextField
        label="Tags"
        {...bind("tags")}
        placeholder="bitcoin, defi"
        hint={
          <>
            Separated by commas; up to {TAG_LIMIT}, each up to {TAG_MAX_LENGTH} characters.
            {draft.searchTags.length > 0 && (
              <span className="tag-preview">
                {draft.searchTags.map((tag) => (
                  <span key={tag} className="tag">
                    #{tag}
                  </span>
                ))}
              </span>
            )}
          </>
        }
        problem={problems.searchTags}
      />
    </ActionForm>
  );
}

export function NewPostPage() {
  usePageTitle("Write a post");
  return (
    <>
      <h1>Write a post</h1>
      <PostEditor />
    </>
  );
}

export function EditPostPage() {
  const { slug = "" } = useParams();
  const post = useResource(() => api.posts.get(slug, true), slug);
  usePageTitle("Edit the post");
  return (
    <>
      <h1>Edit the post</h1>
      <Loaded resource={post} errorWords={notFoundWords("post-not-found")}>
        {(data) => <PostEditor post={data} />}
      </Loaded>
    </>
  );
}
