-- What an account may do beyond a member's: moderate posts and comments (moderator), and also grant and revoke
-- roles (admin). An account has one role; each includes the ones before it. No public route sets it: only
-- `cryptotalks grant`, the jobs-grant-role function and an admin through POST /api/user/role (users/roles.py).
ALTER TABLE users.users
    ADD COLUMN role text NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'moderator', 'admin'));
