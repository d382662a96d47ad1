import { createBrowserRouter, RouterProvider } from "react-router";
import { Layout } from "./components/Layout";
import { RequireSignIn } from "./components/RequireSignIn";
import { CoinPage } from "./pages/CoinPage";
import { CoinsPage } from "./pages/CoinsPage";
import { ConfirmationPage } from "./pages/ConfirmationPage";
import { ForgotPasswordPage } from "./pages/ForgotPasswordPage";
import { GoodbyePage, NotFoundPage } from "./pages/MessagePages";
import { ModerationPage } from "./pages/ModerationPage";
import { EditPostPage, NewPostPage } from "./pages/PostEditorPage";
import { NotificationsPage } from "./pages/NotificationsPage";
import { PostPage } from "./pages/PostPage";
import { PostsPage } from "./pages/PostsPage";
import { ProfilePage } from "./pages/ProfilePage";
import { SettingsPage } from "./pages/settings/SettingsPage";
import { SignInPage } from "./pages/SignInPage";
import { SignUpPage } from "./pages/SignUpPage";
import { UnsubscribePage } from "./pages/UnsubscribePage";
import { SessionProvider } from "./session/session";

const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [
      { index: true, element: <PostsPage /> },
      { path: "posts/:slug", element: <PostPage /> },
      {
        path: "posts/:slug/edit",
        element: (
          <RequireSignIn>
            <EditPostPage />
          </RequireSignIn>
        ),
      },
      {
        path: "write",
        element: (
          <RequireSignIn>
            <NewPostPage />
          </RequireSignIn>
        ),
      },
      {
        path: "moderation",
        element: (
          <RequireSignIn>
            <ModerationPage />
          </RequireSignIn>
        ),
      },
      { path: "coins", element: <CoinsPage /> },
      { path: "coins/:uuid", element: <CoinPage /> },
      { path: "user/:username", element: <ProfilePage /> },
      {
        path: "notifications",
        element: (
          <RequireSignIn>
            <NotificationsPage />
          </RequireSignIn>
        ),
      },
      {
        path: "settings",
        element: (
          <RequireSignIn>
            <SettingsPage />
          </RequireSignIn>
        ),
      },
      { path: "sign-up", element: <SignUpPage /> },
      { path: "sign-in", element: <SignInPage /> },
      { path: "forgot-password", element: <ForgotPasswordPage /> },
      { path: "account-confirmation/:hash", element: <ConfirmationPage kind="account" /> },
      { path: "email-change-confirmation/:hash", element: <ConfirmationPage kind="email-change" /> },
      { path: "unsubscribe", element: <UnsubscribePage /> },
      { path: "goodbye", element: <GoodbyePage /> },
      { path: "*", element: <NotFoundPage /> },
    ],
  },
]);

export function App() {
  return (
    <SessionProvider>
      <RouterProvider router={router} />
    </SessionProvider>
  );
}
