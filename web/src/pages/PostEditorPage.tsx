import { useState, type FormEvent } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { api } from "../api";
import type { Post, PostDraft } from "../api/types";
import { TextArea, TextField } from "../components/Field";
import { FormFooter } from "../components/FormFooter";
import { Loaded } from "../components/Loaded";
import { useAction } from "../lib/useAction";
import { usePageTitle } from "../lib/usePageTitle";
import { useResource } from "../lib/useResource";
import {
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
  const [text, setText] = useState<EditorText>(() => textOf(post));
  const [problems, setProblems] = useState<PostDraftProblems>({});
  const draft = draftOf(text);
  const save = useAction(async () => {
    const saved = post ? await api.posts.update(post.id, draft) : await api.posts.create(draft);
    navigate(`/posts/${encodeURIComponent(saved.slug)}`);
  });

  const edit = (field: keyof EditorText) => (event: { target: { value: string } }) =>
    setText((current) => ({ ...current, [field]: event.target.value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found = postDraftProblems(draft);
    setProblems(found);
    if (Object.keys(found).length === 0) await save.run();
  }

  return (
    <form className="card form editor" onSubmit={(event) => void submit(event)} noValidate>
      <TextField
        label="Title"
        name="title"
        value={text.title}
        onChange={edit("title")}
        maxLength={200}
        problem={problems.title}
        required
      />
      <TextArea
        label="Preview"
        name="preview"
        rows={3}
        value={text.preview}
        onChange={edit("preview")}
        maxLength={1000}
        hint="One or two sentences, shown in the list of posts."
        problem={problems.preview}
      />
      <TextArea
        label="Text"
        name="content"
        rows={12}
        value={text.content}
        onChange={edit("content")}
        hint={`Leave an empty line between paragraphs (${draft.content.length} so far).`}
        problem={problems.content}
      />
      <TextField
        label="Tags"
        name="tags"
        value={text.tags}
        onChange={edit("tags")}
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
      <FormFooter error={save.error} busy={save.busy} label={post ? "Save changes" : "Publish"} busyLabel="Saving…">
        <Link className="button button-quiet" to={post ? `/posts/${encodeURIComponent(post.slug)}` : "/"}>
          Cancel
        </Link>
      </FormFooter>
    </form>
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
      <Loaded resource={post}>{(data) => <PostEditor post={data} />}</Loaded>
    </>
  );
}
